/// One account's breaker: it opens after `failureThreshold` consecutive failures that are the account's fault,
/// goes half-open after the cooldown to let one probe through, and closes on the probe's success.
public struct CircuitBreaker: Sendable, Hashable {
    public enum State: Sendable, Hashable {
        case closed(consecutiveFailures: Int)
        case open(until: Instant)
        case halfOpen(probeInFlight: Bool)
    }

    /// What callers and explanations see.
    public enum Phase: String, Sendable, Codable { case closed, open, halfOpen = "half-open" }

    public private(set) var state: State = .closed(consecutiveFailures: 0)
    public let failureThreshold: Int
    public let cooldownMs: Int

    public init(failureThreshold: Int, cooldownMs: Int) {
        self.failureThreshold = max(1, failureThreshold)
        self.cooldownMs = cooldownMs
    }

    /// The same state under new settings, for a reloaded policy.
    public func retuned(failureThreshold: Int, cooldownMs: Int) -> CircuitBreaker {
        var breaker = CircuitBreaker(failureThreshold: failureThreshold, cooldownMs: cooldownMs)
        breaker.state = state
        return breaker
    }

    public func phase(at now: Instant) -> Phase {
        switch state {
        case .closed: .closed
        case .open(let until): now >= until ? .halfOpen : .open
        case .halfOpen: .halfOpen
        }
    }

    /// Takes permission to send; in half-open, only one caller gets it.
    public mutating func admit(at now: Instant) -> Bool {
        switch state {
        case .closed: return true
        case .open(let until):
            guard now >= until else { return false }
            state = .halfOpen(probeInFlight: true)
            return true
        case .halfOpen(let probeInFlight):
            guard !probeInFlight else { return false }
            state = .halfOpen(probeInFlight: true)
            return true
        }
    }

    /// The account answered in a way that says it works (success, or a recipient/content rejection).
    public mutating func recordHealthy() {
        state = .closed(consecutiveFailures: 0)
    }

    /// A failure that is the account's fault.
    public mutating func recordFailure(at now: Instant) {
        switch state {
        case .closed(let failures):
            state = failures + 1 >= failureThreshold ? .open(until: now + cooldownMs) : .closed(consecutiveFailures: failures + 1)
        case .halfOpen, .open:
            state = .open(until: now + cooldownMs)
        }
    }

    /// An attempt that says nothing about the account (e.g. cancelled): give back a half-open probe.
    public mutating func releaseProbe() {
        if case .halfOpen(true) = state { state = .halfOpen(probeInFlight: false) }
    }

    /// Another instance found the account failing: stay open until `until`, unless this breaker's own probe is out
    /// (its answer decides) or it is already open for longer.
    public mutating func holdOpen(until: Instant) {
        switch state {
        case .closed: state = .open(until: until)
        case .open(let current): if until > current { state = .open(until: until) }
        case .halfOpen(let probeInFlight): if !probeInFlight { state = .open(until: until) }
        }
    }

    public var openUntil: Instant? {
        if case .open(let until) = state { return until }
        return nil
    }
}
