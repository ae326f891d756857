import SwitchboardCore

/// Per-line pacing shared by every send: a token bucket per account, and WhatsApp's pair rate (about one message
/// every 6 s from a line to the same customer).
public actor Pacer {
    public struct Limits: Sendable {
        public var ratePerSecond: [String: Double]
        public var pairIntervalMs: Int
        public init(ratePerSecond: [String: Double], pairIntervalMs: Int = 6000) {
            self.ratePerSecond = ratePerSecond
            self.pairIntervalMs = pairIntervalMs
        }
    }

    private let limits: Limits
    private var buckets: [String: TokenBucket] = [:]
    private var lastToCustomer: [String: Instant] = [:]

    public init(limits: Limits) { self.limits = limits }

    /// When `count` messages may leave `account`; reserves them.
    public func reserve(account: String, count: Int, now: Instant) -> Instant {
        guard let rate = limits.ratePerSecond[account] else { return now }
        var bucket = buckets[account] ?? TokenBucket(ratePerSecond: rate, now: now)
        let at = bucket.reserve(count, now: now)
        buckets[account] = bucket
        return at
    }

    /// Reserves only if the wait is at most `maxWaitMs`; nil (and nothing reserved) otherwise.
    public func reserve(account: String, count: Int, now: Instant, maxWaitMs: Int) -> Instant? {
        guard let rate = limits.ratePerSecond[account] else { return now }
        var bucket = buckets[account] ?? TokenBucket(ratePerSecond: rate, now: now)
        guard bucket.wait(for: count, now: now) <= maxWaitMs else { return nil }
        let at = bucket.reserve(count, now: now)
        buckets[account] = bucket
        return at
    }

    public func release(account: String, count: Int) {
        buckets[account]?.release(count)
    }

    /// The earliest a message from `account` to `customer` may go, keeping the pair rate; reserves that slot.
    public func reservePair(account: String, customer: String, now: Instant) -> Instant {
        let key = account + "|" + customer
        let at = max(now, (lastToCustomer[key] ?? Instant(milliseconds: .min / 2)) + limits.pairIntervalMs)
        lastToCustomer[key] = at
        return at
    }

    /// When the pair slot would be free, without reserving it.
    public func pairFreeAt(account: String, customer: String) -> Instant? {
        lastToCustomer[account + "|" + customer].map { $0 + limits.pairIntervalMs }
    }
}
