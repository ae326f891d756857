/// Tells a queued send waiting for its pacing slot that the gateway is draining for shutdown: it gives up and goes
/// back to the queue. Provider calls already made are left to finish, so nothing in flight becomes ambiguous.
public struct DrainSignal: Sendable {
    public let isDraining: @Sendable () -> Bool

    public init(_ isDraining: @escaping @Sendable () -> Bool) { self.isDraining = isDraining }
}
