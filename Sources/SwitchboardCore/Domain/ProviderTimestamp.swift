import Foundation

/// A time a provider stamped on a callback, checked before it is stored or a window is counted from it. Providers
/// send unix seconds or ISO 8601 text; a value that is not a time, not finite, before 2000 or more than a day ahead
/// is replaced by the receive time, and any time ahead of the receive time is clamped to it, so a callback can never
/// stretch a 24-hour window or plant a date the store cannot read back.
public struct ProviderTimestamp: Sendable, Hashable {
    /// Why a provider's value was not used.
    public enum Problem: String, Sendable, Hashable, CaseIterable {
        case unparseable = "unparseable"
        case notFinite = "not_finite"
        case beforeEarliest = "before_2000"
        case tooFarAhead = "too_far_ahead"
    }

    /// 2000-01-01T00:00:00Z.
    public static let earliest = Date(timeIntervalSince1970: 946_684_800)
    /// How far ahead of the receive time a stamp may be and still count as the provider's clock running fast.
    public static let futureAllowance: TimeInterval = 86_400

    /// The time to store.
    public var date: Date
    /// Set when the provider's value was refused and `date` is the receive time.
    public var problem: Problem?

    public init(date: Date, problem: Problem? = nil) {
        self.date = date
        self.problem = problem
    }

    /// `raw` is the provider's text (nil or empty when it sent none); `receivedAt` is when the callback arrived.
    public static func resolve(_ raw: String?, receivedAt: Date) -> ProviderTimestamp {
        guard let raw, !raw.isEmpty else { return ProviderTimestamp(date: receivedAt) }
        let seconds: Double
        if let number = Double(raw) {
            seconds = number
        } else if raw.utf8.count <= 64, let date = try? Date(raw, strategy: .iso8601) {
            seconds = date.timeIntervalSince1970
        } else {
            return ProviderTimestamp(date: receivedAt, problem: .unparseable)
        }
        return resolve(seconds: seconds, receivedAt: receivedAt)
    }

    /// The same rules for a value that arrived as a JSON number of unix seconds.
    public static func resolve(seconds: Double, receivedAt: Date) -> ProviderTimestamp {
        guard seconds.isFinite else { return ProviderTimestamp(date: receivedAt, problem: .notFinite) }
        guard seconds >= earliest.timeIntervalSince1970 else {
            return ProviderTimestamp(date: receivedAt, problem: .beforeEarliest)
        }
        guard seconds <= receivedAt.timeIntervalSince1970 + futureAllowance else {
            return ProviderTimestamp(date: receivedAt, problem: .tooFarAhead)
        }
        return ProviderTimestamp(date: min(Date(timeIntervalSince1970: seconds), receivedAt))
    }
}
