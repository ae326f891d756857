/// Envoy's retry budget: retries and failovers in flight may not exceed max(minConcurrent, percent × sends in flight),
/// so an outage does not multiply the load on what is left.
public struct RetryBudget: Sendable, Hashable {
    public var activeSends: Int
    public var activeRetries: Int

    public init(activeSends: Int, activeRetries: Int) {
        self.activeSends = activeSends
        self.activeRetries = activeRetries
    }

    public func allowsAnotherRetry(_ policy: Policy.Budget) -> Bool {
        let cap = max(Double(policy.minConcurrent), policy.percent / 100 * Double(activeSends))
        return Double(activeRetries) < cap
    }
}
