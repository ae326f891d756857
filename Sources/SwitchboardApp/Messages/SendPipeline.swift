import Foundation
import Logging
import NIOConcurrencyHelpers
import SwitchboardCore
import SwitchboardDispatch
import SwitchboardStore

/// The one send workflow, for synchronous and queued sends alike: plan each recipient once, refuse what the
/// conversation forbids, dispatch with every message on record before its provider call, and write each attempt as it
/// ends. The caller decides what the results mean (an answer, a retry) and settles them.
struct SendPipeline<Store: GatewayStore>: Sendable {
    let store: Store
    let dispatcher: Dispatcher
    let metrics: GatewayMetrics
    var wallClock: WallClock = .system
    var storeHealth = StoreHealth()

    /// How the messages were put on record as being sent.
    enum Marking: Sendable {
        /// Inserted already marked (a synchronous send): only a request that waits for a connection is unmarked
        /// while it waits, so a stop during the wait leaves messages that provably never left.
        case insertedAsStarted
        /// Marked just before each provider request (claimed from the queue).
        case beforeEachRequest
    }

    /// Messages with the same content and pins, sent together.
    struct Work: Sendable {
        var ids: [String]
        /// Content, pins and pacing; the pipeline fills in the open windows.
        var request: Dispatcher.Request
        /// The recipients' conversation states, read with the messages' insert or claim.
        var states: [String: CustomerState]
        var now: Date
        var marking: Marking
    }

    /// One recipient's end.
    struct Sent: Sendable {
        var id: String
        /// Refused before any provider call.
        var refused: (error: MessageError, message: String)?
        var result: Dispatcher.Result?
        /// The last round's attempts, which the caller writes with the outcome.
        var lastRound: [NewAttempt]

        var attempts: [Attempt] { result?.attempts ?? [] }

        var settlement: Settlement {
            if let result { return Settlement(result, id: id) }
            return Settlement(id: id, blocked: refused?.error ?? .internalError, message: refused?.message)
        }
    }

    /// - Returns: one `Sent` per recipient, in order, and whether any provider request was let through.
    func run(_ work: Work, logger: Logger) async -> (sent: [Sent], calledProvider: Bool) {
        var request = work.request
        let windows = ConversationGate.openWindows(request.recipients, now: work.now, states: work.states)
        request.openWindows = windows
        let planned = dispatcher.plan(request)
        var sent = work.ids.map { Sent(id: $0, refused: nil, result: nil, lastRound: []) }
        var sendable: [Int] = []
        for (index, plan) in planned.enumerated() {
            if let refusal = ConversationGate.refusal(plan, body: request.body, states: work.states, windows: windows) {
                sent[index].refused = refusal
            } else {
                sendable.append(index)
            }
        }
        guard !sendable.isEmpty else { return (sent, false) }

        let ids = sendable.map { work.ids[$0] }
        let marks = ProviderCallMarks()
        let results = await dispatcher.send(
            request, planned: sendable.map { planned[$0] },
            willWait: { [store] indices in
                guard case .insertedAsStarted = work.marking else { return }
                let waiting = indices.map { ids[$0] }
                do {
                    try await store.markDispatchWaiting(waiting)
                    marks.noteWaiting(waiting)
                } catch {
                    logger.warning("could not mark messages as waiting for a connection", metadata: ["error.type": "\(type(of: error))"])
                }
            },
            willSend: { [store, storeHealth, wallClock] indices in
                let requestIds = indices.map { ids[$0] }
                let marked = switch work.marking {
                case .insertedAsStarted: marks.takeWaiting(requestIds)
                case .beforeEachRequest: requestIds
                }
                do {
                    if !marked.isEmpty { try await store.markDispatchStarted(marked, at: wallClock.now()) }
                    marks.noteCall()
                    return true
                } catch {
                    storeHealth.writeFailed(error)
                    logger.error("could not mark messages as being sent; not sending them", metadata: ["error.type": "\(type(of: error))"])
                    return false
                }
            },
            onAttempts: { [store, metrics, wallClock] ended in
                for (_, attempt) in ended { metrics.attempt(attempt) }
                do {
                    try await store.record(ended.map { NewAttempt(messageId: ids[$0.index], attempt: $0.attempt, at: wallClock.now()) })
                } catch {
                    logger.error("could not record attempts", metadata: ["error.type": "\(type(of: error))"])
                }
            })
        let endedAt = wallClock.now()
        for (position, result) in zip(sendable, results) {
            for attempt in result.unreportedAttempts { metrics.attempt(attempt) }
            sent[position].result = result
            sent[position].lastRound = result.unreportedAttempts.map { NewAttempt(messageId: work.ids[position], attempt: $0, at: endedAt) }
        }
        return (sent, marks.anyCall)
    }
}

/// One send's marks: whether any provider request was let through, and which messages are unmarked while they wait
/// for a connection.
final class ProviderCallMarks: Sendable {
    private let state = NIOLockedValueBox((called: false, waiting: Set<String>()))

    func noteCall() { state.withLockedValue { $0.called = true } }
    var anyCall: Bool { state.withLockedValue { $0.called } }

    func noteWaiting(_ ids: [String]) { state.withLockedValue { $0.waiting.formUnion(ids) } }

    /// Those of `ids` that were unmarked to wait, which must be marked again before they go.
    func takeWaiting(_ ids: [String]) -> [String] {
        state.withLockedValue { state in
            let taken = ids.filter { state.waiting.contains($0) }
            state.waiting.subtract(taken)
            return taken
        }
    }
}
