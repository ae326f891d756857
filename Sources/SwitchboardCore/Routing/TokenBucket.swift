/// Paces one sender line: `ratePerSecond` tokens a second, up to `burst` saved. Pure: instants come in.
/// `reserve` hands out the time at which each message may go, so a burst is spread instead of refused.
public struct TokenBucket: Sendable, Hashable {
    public let ratePerSecond: Double
    public let burst: Double
    private var tokens: Double
    private var updatedAt: Instant

    public init(ratePerSecond: Double, burst: Double? = nil, now: Instant) {
        self.ratePerSecond = max(ratePerSecond, 0.001)
        self.burst = max(burst ?? ratePerSecond, 1)
        self.tokens = self.burst
        self.updatedAt = now
    }

    /// Reserves `count` tokens and returns when they are available (now, or later). Tokens may go negative:
    /// later reservations queue behind earlier ones.
    public mutating func reserve(_ count: Int = 1, now: Instant) -> Instant {
        refill(now: now)
        tokens -= Double(count)
        guard tokens < 0 else { return now }
        let waitMs = Int((-tokens / ratePerSecond * 1000).rounded(.up))
        return now + waitMs
    }

    /// How long `count` tokens would take, without taking them.
    public func wait(for count: Int = 1, now: Instant) -> Int {
        var copy = self
        copy.refill(now: now)
        let missing = Double(count) - copy.tokens
        return missing <= 0 ? 0 : Int((missing / ratePerSecond * 1000).rounded(.up))
    }

    /// Gives back tokens reserved for a send that did not happen.
    public mutating func release(_ count: Int) {
        tokens = min(burst, tokens + Double(count))
    }

    private mutating func refill(now: Instant) {
        guard now > updatedAt else { return }
        tokens = min(burst, tokens + Double(now - updatedAt) / 1000 * ratePerSecond)
        updatedAt = now
    }
}
