import Foundation
import SwitchboardCore
import SwitchboardDispatch
import SwitchboardStore

/// What the conversation allows before any provider call: opted-out customers get nothing, and under
/// `sessionWindow: enforce` a text needs an open window on one of its planned candidates.
enum ConversationGate {
    /// Each recipient's accounts with an open 24-hour window (the planner prefers them for text).
    static func openWindows(_ recipients: [PhoneNumber], now: Date, states: [String: CustomerState]) -> [String: Set<String>] {
        var windows: [String: Set<String>] = [:]
        for recipient in recipients {
            windows[recipient.digits] = ConversationWindow.openAccounts(states[recipient.digits]?.lastInbound ?? [:], now: now)
        }
        return windows
    }

    /// Why `planned` may not be sent, if it may not; checked against the plan the send will follow.
    static func refusal(
        _ planned: Dispatcher.Planned, body: MessageBody, states: [String: CustomerState], windows: [String: Set<String>]
    ) -> (error: MessageError, message: String)? {
        let recipient = planned.recipient
        if states[recipient.digits]?.optedOut == true {
            return (.optedOut, "\(recipient) opted out; they must write again before anything is sent")
        }
        guard case .text = body, case .success(let plan) = planned.route, plan.policy.sessionWindow == .enforce else { return nil }
        let open = windows[recipient.digits] ?? []
        guard plan.candidates.allSatisfy({ !open.contains($0.id) }) else { return nil }
        return (.needsTemplate, "no open 24-hour window with \(recipient) on any candidate account: send a template")
    }
}
