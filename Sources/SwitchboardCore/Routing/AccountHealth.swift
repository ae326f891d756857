/// What the engine knows of one account when it decides: its breaker and any Retry-After it is under.
public struct AccountHealth: Sendable, Hashable {
    public var breaker: CircuitBreaker
    public var rateLimitedUntil: Instant?

    public init(breaker: CircuitBreaker, rateLimitedUntil: Instant? = nil) {
        self.breaker = breaker
        self.rateLimitedUntil = rateLimitedUntil
    }

    /// Why the account cannot take a request now, or nil if it can.
    public func unavailability(at now: Instant) -> SkipReason? {
        if let until = rateLimitedUntil, now < until { return .rateLimited(until: until) }
        switch breaker.state {
        case .closed: return nil
        case .open(let until): return now >= until ? nil : .circuitOpen(until: until)
        case .halfOpen(let probeInFlight): return probeInFlight ? .probeInFlight : nil
        }
    }
}

/// Why a candidate account was passed over.
public enum SkipReason: Sendable, Hashable, CustomStringConvertible {
    case circuitOpen(until: Instant)
    case probeInFlight
    case rateLimited(until: Instant)
    case otherRegion(String?)
    /// Over its send rate for longer than a synchronous send may wait.
    case paced(waitMs: Int)
    /// The gateway is shutting down: a queued send not yet made goes back to the queue.
    case draining
    /// The caller could not write down that the send was about to be made, so it was not made (a send nobody knows
    /// left could be made again after a restart).
    case notRecorded

    public var code: String {
        switch self {
        case .circuitOpen: "circuit_open"
        case .probeInFlight: "half_open_probe_in_flight"
        case .rateLimited: "rate_limited"
        case .otherRegion: "other_region"
        case .paced: "paced"
        case .draining: "draining"
        case .notRecorded: "not_recorded"
        }
    }

    public var description: String {
        switch self {
        case .circuitOpen(let until): "circuit open until \(until)"
        case .probeInFlight: "circuit half-open and its probe is in flight"
        case .rateLimited(let until): "rate limited until \(until)"
        case .otherRegion(let region): "region \(region ?? "unknown") differs from the first candidate's (same-region failover)"
        case .paced(let waitMs): "over its send rate (next slot in \(waitMs)ms)"
        case .draining: "the gateway is shutting down"
        case .notRecorded: "the send could not be recorded before it was made"
        }
    }
}

/// The view of health the engine reads. The runtime's store of breakers implements it.
public protocol HealthView: Sendable {
    func health(of account: String) -> AccountHealth?
}

extension Dictionary: HealthView where Key == String, Value == AccountHealth {
    public func health(of account: String) -> AccountHealth? { self[account] }
}
