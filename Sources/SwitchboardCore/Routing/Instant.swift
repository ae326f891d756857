/// A point on the gateway's monotonic clock, in milliseconds from an arbitrary origin. The engine only compares
/// and adds these, so tests drive it with any numbers they like.
public struct Instant: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public var milliseconds: Int64
    public init(milliseconds: Int64) { self.milliseconds = milliseconds }

    public static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.milliseconds < rhs.milliseconds }
    public static func + (lhs: Instant, ms: Int) -> Instant { Instant(milliseconds: lhs.milliseconds + Int64(ms)) }
    public static func - (lhs: Instant, rhs: Instant) -> Int { Int(lhs.milliseconds - rhs.milliseconds) }
    public var description: String { "t+\(milliseconds)ms" }
}

/// Where the engine's runtime gets time from; tests inject a manual one.
public protocol GatewayClock: Sendable {
    func now() -> Instant
    func sleep(until deadline: Instant) async throws
}
