import SwitchboardCore

/// The monotonic clock of the process.
public struct SystemClock: GatewayClock {
    private let origin = ContinuousClock.now
    public init() {}

    public func now() -> Instant {
        let elapsed = ContinuousClock.now - origin
        return Instant(milliseconds: elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)
    }

    public func sleep(until deadline: Instant) async throws {
        let wait = deadline - now()
        if wait > 0 { try await Task.sleep(for: .milliseconds(wait)) }
    }
}
