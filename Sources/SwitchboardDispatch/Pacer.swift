import SwitchboardCore

/// Per-line pacing shared by every send: a token bucket per account, or, when instances share a store, slots leased
/// from the lines' shared schedule (`LeasedSlots`).
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
    private let shared: (any SharedLineSchedule)?
    private var leased: [String: LeasedSlots] = [:]
    /// Lines with a lease out, and the callers waiting for it.
    private var leasing: Set<String> = []
    private var waiting: [String: [CheckedContinuation<Void, Never>]] = [:]

    /// - Parameter shared: the schedule instances on one store share; nil paces this process alone.
    public init(limits: Limits, shared: (any SharedLineSchedule)? = nil) {
        self.limits = limits
        self.shared = shared
    }

    /// When `count` messages may leave `account`; reserves them.
    public func reserve(account: String, count: Int, now: Instant) async -> Instant {
        guard let rate = limits.ratePerSecond[account] else { return now }
        if shared != nil,
            let at = await reserveShared(account: account, count: count, now: now, rate: rate, maxWaitMs: nil)
        {
            return at
        }
        // Without a bound the bucket always reserves.
        return reserveLocally(account: account, count: count, now: now, rate: rate, maxWaitMs: nil) ?? now
    }

    /// Reserves only if the wait is at most `maxWaitMs`; nil (and nothing reserved) otherwise.
    public func reserve(account: String, count: Int, now: Instant, maxWaitMs: Int) async -> Instant? {
        guard let rate = limits.ratePerSecond[account] else { return now }
        if shared != nil {
            return await reserveShared(account: account, count: count, now: now, rate: rate, maxWaitMs: maxWaitMs)
        }
        return reserveLocally(account: account, count: count, now: now, rate: rate, maxWaitMs: maxWaitMs)
    }

    /// This process's own bucket for the line: reserves unless the wait is over `maxWaitMs`.
    private func reserveLocally(account: String, count: Int, now: Instant, rate: Double, maxWaitMs: Int?) -> Instant? {
        var bucket = buckets[account] ?? TokenBucket(ratePerSecond: rate, now: now)
        if let maxWaitMs, bucket.wait(for: count, now: now) > maxWaitMs { return nil }
        let at = bucket.reserve(count, now: now)
        buckets[account] = bucket
        return at
    }

    /// Takes slots already leased, leasing more when they run short. One lease per line is out at a time: callers
    /// that find the slots short while it is out wait for it rather than lease runs of their own (concurrent leases
    /// would each take a run of the schedule and push the line's next slots far ahead). If the shared schedule cannot
    /// be reached, a bounded send uses this process's own bucket; an unbounded one gets nil and the caller falls back
    /// to that bucket too.
    private func reserveShared(
        account: String, count: Int, now: Instant, rate: Double, maxWaitMs: Int?
    ) async -> Instant? {
        guard let shared else { return nil }
        for _ in 0..<32 {
            var slots = leased[account] ?? LeasedSlots(ratePerSecond: rate)
            let taking = slots.take(count, now: now, maxWaitMs: maxWaitMs)
            leased[account] = slots
            switch taking {
            case .taken(let at): return at
            case .tooLate: return nil
            case .short(let missing):
                if leasing.contains(account) {
                    await withCheckedContinuation { waiting[account, default: []].append($0) }
                    continue
                }
                leasing.insert(account)
                let size = slots.nextLeaseSize(missing: missing, now: now)
                let firstInMs: Int
                do {
                    firstInMs = try await shared.leaseSlots(
                        line: account, count: size, ratePerSecond: rate, burst: max(rate, 1))
                } catch {
                    leaseEnded(account)
                    guard maxWaitMs != nil else { return nil }
                    return reserveLocally(account: account, count: count, now: now, rate: rate, maxWaitMs: maxWaitMs)
                }
                leased[account, default: LeasedSlots(ratePerSecond: rate)].add(count: size, first: now + firstInMs, now: now)
                leaseEnded(account)
            }
        }
        return nil
    }

    /// Lets the callers waiting for a line's lease look again.
    private func leaseEnded(_ account: String) {
        leasing.remove(account)
        for continuation in waiting.removeValue(forKey: account) ?? [] { continuation.resume() }
    }

    /// Gives back a reservation that was not used. Leased slots are not given back: an unused one goes unused, which
    /// never pushes a line over its rate.
    public func release(account: String, count: Int) {
        guard shared == nil else { return }
        buckets[account]?.release(count)
    }

    /// After a reload: accounts in `kept` whose rate is unchanged keep their bucket; the rest start afresh.
    public func retune(limits newLimits: Limits, keeping kept: Set<String>) {
        let unchanged = { (account: String) in
            kept.contains(account) && self.limits.ratePerSecond[account] == newLimits.ratePerSecond[account]
        }
        buckets = buckets.filter { unchanged($0.key) }
        leased = leased.filter { unchanged($0.key) }
        limits = newLimits
    }
}
