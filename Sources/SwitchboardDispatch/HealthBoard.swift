import SwitchboardCore

/// Every account's breaker, Retry-After and recent counts, plus the retry budget's counters. Shared by all sends.
public actor HealthBoard {
    public struct Stats: Sendable, Hashable, Codable {
        public var successes = 0
        public var failures = 0
        public var lastError: String?
        public var lastErrorCode: String?
    }

    private var health: [String: AccountHealth] = [:]
    private var stats: [String: Stats] = [:]
    private var breakerTemplate: CircuitBreaker
    private var activeSends = 0
    private var activeRetries = 0

    public init(policy: Policy) {
        breakerTemplate = CircuitBreaker(failureThreshold: policy.circuitBreaker.failureThreshold, cooldownMs: policy.circuitBreaker.cooldownMs)
    }

    public func snapshot() -> [String: AccountHealth] { health }
    public func stats(of account: String) -> Stats { stats[account] ?? Stats() }
    private func budget() -> RetryBudget { RetryBudget(activeSends: activeSends, activeRetries: activeRetries) }
    /// Breakers and the retry budget together: what one engine round reads.
    public func view() -> (health: [String: AccountHealth], budget: RetryBudget) { (health, budget()) }

    /// Takes the account for one attempt; false if its breaker or a Retry-After says no (or another caller took the probe).
    public func acquire(_ account: String, now: Instant, isRetry: Bool) -> Bool {
        var entry = health[account] ?? AccountHealth(breaker: breakerTemplate)
        guard entry.unavailability(at: now) == nil, entry.breaker.admit(at: now) else { return false }
        health[account] = entry
        if isRetry { activeRetries += 1 }
        return true
    }

    public func record(_ account: String, outcome: RecipientResult.Outcome, now: Instant, wasRetry: Bool) {
        var entry = health[account] ?? AccountHealth(breaker: breakerTemplate)
        HealthRules.apply(outcome, to: &entry, now: now)
        health[account] = entry
        if wasRetry { activeRetries -= 1 }
        var counts = stats[account] ?? Stats()
        switch outcome {
        case .accepted: counts.successes += 1
        case .failed(let failure):
            counts.failures += 1
            counts.lastError = failure.message
            counts.lastErrorCode = failure.failureClass.rawValue
        }
        stats[account] = counts
    }

    /// The holds in force at `now` (open circuits, Retry-After pauses), for the instances sharing this one's store.
    public func holds(now: Instant) -> [String: AccountHold] {
        var holds: [String: AccountHold] = [:]
        for (account, entry) in health {
            var hold = AccountHold()
            if let until = entry.breaker.openUntil, until > now { hold.openUntil = until }
            if let until = entry.rateLimitedUntil, until > now { hold.retryAfterUntil = until }
            if !hold.isEmpty { holds[account] = hold }
        }
        return holds
    }

    /// Honours holds other instances published: a circuit they opened stays open here too, and so does a pause.
    public func honour(_ holds: [String: AccountHold], now: Instant) {
        for (account, hold) in holds {
            var entry = health[account] ?? AccountHealth(breaker: breakerTemplate)
            if let until = hold.openUntil, until > now { entry.breaker.holdOpen(until: until) }
            if let until = hold.retryAfterUntil, until > now, until > (entry.rateLimitedUntil ?? now) { entry.rateLimitedUntil = until }
            health[account] = entry
        }
    }

    /// Counts `count` sends as active and returns the first round's view.
    public func beginSends(_ count: Int) -> (health: [String: AccountHealth], budget: RetryBudget) {
        activeSends += count
        return view()
    }
    public func endSends(_ count: Int) { activeSends -= count }

    /// After a reload: accounts in `kept` keep their breaker (under the new policy's settings), Retry-After and counts;
    /// every other account starts afresh. The retry budget's counters, which belong to sends in flight, stay.
    public func retune(policy: Policy, keeping kept: Set<String>) {
        let breaker = policy.circuitBreaker
        breakerTemplate = CircuitBreaker(failureThreshold: breaker.failureThreshold, cooldownMs: breaker.cooldownMs)
        health = health.filter { kept.contains($0.key) }.mapValues { entry in
            var entry = entry
            entry.breaker = entry.breaker.retuned(failureThreshold: breaker.failureThreshold, cooldownMs: breaker.cooldownMs)
            return entry
        }
        stats = stats.filter { kept.contains($0.key) }
    }
}
