import Foundation
import Logging
import SwitchboardCore

/// Logs a refused provider timestamp at most once per account an hour, so a misbehaving provider cannot flood the
/// log; the refused value itself is never logged.
actor TimestampWarnings {
    static let interval: TimeInterval = 3600
    private var lastWarned: [String: Date] = [:]

    /// True when a warning for `account` is due at `now` (and notes it as given).
    func claim(account: String, now: Date) -> Bool {
        if let last = lastWarned[account], now.timeIntervalSince(last) < Self.interval, now >= last { return false }
        lastWarned[account] = now
        return true
    }

    /// The stamp to store for `raw`; warns when the provider's value was refused.
    func resolve(_ raw: String?, account: Account, receivedAt: Date, logger: Logger) -> Date {
        let stamp = ProviderTimestamp.resolve(raw, receivedAt: receivedAt)
        if let problem = stamp.problem, claim(account: account.id, now: receivedAt) {
            logger.warning(
                "provider timestamp refused; using the receive time (logged once an hour per account)",
                metadata: [
                    "account": "\(account.id)", "provider": "\(account.provider)", "problem": "\(problem.rawValue)",
                ])
        }
        return stamp.date
    }
}
