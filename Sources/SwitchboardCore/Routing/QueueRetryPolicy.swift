import Foundation

/// What becomes of a queued message after a round of sending: sent again later, failed as expired, or settled with
/// its outcome. Pure: the worker passes the round's outcome and the message's history and does what this returns.
public enum QueueRetryPolicy {
    public enum Decision: Sendable, Hashable {
        /// Back in the queue, due at `at`; `countsAsAttempt` false when the round was cut short by shutdown.
        case requeue(at: Date, countsAsAttempt: Bool)
        /// Worth another try, but the next one would fall past the message's validity.
        case expire
        /// Final: store the round's outcome.
        case settle
    }

    /// The longest wait between tries.
    public static let maxDelaySeconds: TimeInterval = 300

    /// The wait before the next try after `attempts` tries: 1 s, 2 s, 4 s … up to `maxDelaySeconds`.
    public static func delaySeconds(afterAttempts attempts: Int) -> TimeInterval {
        min(maxDelaySeconds, pow(2, Double(min(max(attempts - 1, 0), 30))))
    }

    /// - Parameters:
    ///   - outcome: the round's plan outcome; nil when the message could not be routed at all (final).
    ///   - drained: the round stopped because the gateway is shutting down.
    ///   - attempts: tries before this round.
    ///   - now: when the round ended.
    public static func decide(
        _ outcome: SendPlan.Outcome?, drained: Bool, attempts: Int, now: Date, expiresAt: Date
    ) -> Decision {
        guard let outcome else { return .settle }
        if drained, wasCutShort(outcome) { return .requeue(at: now, countsAsAttempt: false) }
        guard isRetryable(outcome) else { return .settle }
        let next = now.addingTimeInterval(delaySeconds(afterAttempts: attempts + 1))
        return next < expiresAt ? .requeue(at: next, countsAsAttempt: true) : .expire
    }

    /// Stopped before an answer: no account took it, rejected it or left it ambiguous.
    static func wasCutShort(_ outcome: SendPlan.Outcome) -> Bool {
        switch outcome {
        case .exhausted, .noRoute: true
        default: false
        }
    }

    /// Unavailable or rate-limited everywhere, or every circuit open: worth another go later.
    static func isRetryable(_ outcome: SendPlan.Outcome) -> Bool {
        switch outcome {
        case .exhausted(let last, _):
            guard let last else { return true }
            return last.failureClass == .unavailable || last.failureClass == .rateLimited
        case .noRoute: return true
        default: return false
        }
    }
}
