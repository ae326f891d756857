import SwitchboardCore

/// Per-line pacing shared by every send: a token bucket per account.
public actor Pacer {
    public struct Limits: Sendable {
        public var ratePerSecond: [String: Double]
        public init(ratePerSecond: [String: Double]) {
            self.ratePerSecond = ratePerSecond
        }

        /// Each account's own rate, where it has one.
        public init(table: RouteTable) {
            ratePerSecond = Dictionary(
                table.accounts.compactMap { account in account.ratePerSecond.map { (account.id, $0) } },
                uniquingKeysWith: { first, _ in first })
        }
    }

    private var limits: Limits
    private var buckets: [String: TokenBucket] = [:]

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

    /// After a reload: accounts in `kept` whose rate is unchanged keep their bucket; the rest start afresh.
    public func retune(limits newLimits: Limits, keeping kept: Set<String>) {
        buckets = buckets.filter { account, _ in
            kept.contains(account) && limits.ratePerSecond[account] == newLimits.ratePerSecond[account]
        }
        limits = newLimits
    }
}
