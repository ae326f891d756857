/// The send schedule of sender lines, shared by the gateway instances on one store, so that together they keep each
/// line to its rate. An instance leases a run of consecutive slots at a time and hands them out itself, rather than
/// asking the store for every message.
public protocol SharedLineSchedule: Sendable {
    /// Leases `count` consecutive slots on `line`, `1 / ratePerSecond` apart, after every slot leased before; a line
    /// idle for a while may start up to `burst` slots in the past (sent at once), as a full token bucket would.
    /// Returns how many milliseconds from now the first slot is (negative: already due).
    func leaseSlots(line: String, count: Int, ratePerSecond: Double, burst: Double) async throws -> Int
}
