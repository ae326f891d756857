import Foundation
import SwitchboardCore
import SwitchboardStore

/// What the conversation allows before any provider call: opted-out customers get nothing, and under
/// `sessionWindow: enforce` a text needs an open window on one of its candidates. Also finds the open windows for affinity.
struct ConversationGate: Sendable {
    let planner: RoutePlanner

    /// - Parameter states: the recipients' conversation states, read with the messages' insert.
    func check(
        _ recipients: [PhoneNumber], ids: [String], body: MessageBody, from: String?, route: String?, now: Date, states: [String: CustomerState]
    ) -> (blocked: [Int: Settlement], windows: [String: Set<String>]) {
        var blocked: [Int: Settlement] = [:]
        var windows: [String: Set<String>] = [:]
        for (index, recipient) in recipients.enumerated() {
            let state = states[recipient.digits] ?? CustomerState()
            if state.optedOut {
                blocked[index] = Settlement(id: ids[index], blocked: .optedOut, message: "\(recipient) opted out; they must write again before anything is sent")
                continue
            }
            let open = ConversationWindow.openAccounts(state.lastInbound, now: now)
            windows[recipient.digits] = open
            guard case .text = body,
                  case .success(let plan) = planner.plan(to: recipient, kind: .text, from: from, route: route, draw: 0),
                  plan.policy.sessionWindow == .enforce else { continue }
            if plan.candidates.allSatisfy({ !open.contains($0.id) }) {
                blocked[index] = Settlement(id: ids[index], blocked: .needsTemplate, message: "no open 24-hour window with \(recipient) on any candidate account: send a template")
            }
        }
        return (blocked, windows)
    }
}
