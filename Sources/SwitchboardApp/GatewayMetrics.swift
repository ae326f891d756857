import Prometheus
import SwitchboardCore

/// The gateway's Prometheus metrics. Labels are bounded: account ids, providers, outcomes and classes only.
public struct GatewayMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    private let latency: DurationHistogram

    private static var attempts: MetricNameDescriptor { MetricNameDescriptor(namespace: "switchboard", metricName: "attempts", unitName: "total", helpText: "Provider attempts by account and outcome (accepted or failure class)") }
    private static var failovers: MetricNameDescriptor { MetricNameDescriptor(namespace: "switchboard", metricName: "failovers", unitName: "total", helpText: "Failovers away from an account") }
    private static var messages: MetricNameDescriptor { MetricNameDescriptor(namespace: "switchboard", metricName: "messages", unitName: "total", helpText: "Messages by final status and error code") }
    private static var circuit: MetricNameDescriptor { MetricNameDescriptor(namespace: "switchboard", metricName: "circuit_state", unitName: "", helpText: "Circuit per account: 0 closed, 1 half-open, 2 open") }
    private static var duration: MetricNameDescriptor { MetricNameDescriptor(namespace: "switchboard", metricName: "send_duration", unitName: "seconds", helpText: "Time from request to outcome for one recipient") }

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        latency = registry.makeDurationHistogram(
            descriptor: Self.duration, labels: [],
            buckets: [.milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250),
                      .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5), .seconds(10)])
    }

    func attempt(_ attempt: Attempt) {
        registry.makeCounter(descriptor: Self.attempts, labels: [("account", attempt.account), ("provider", attempt.provider), ("outcome", attempt.outcome)]).increment()
        if attempt.decision == "fail over" {
            registry.makeCounter(descriptor: Self.failovers, labels: [("account", attempt.account)]).increment()
        }
    }

    func message(status: String, errorCode: String?, duration: Duration) {
        registry.makeCounter(descriptor: Self.messages, labels: [("status", status), ("error", errorCode ?? "none")]).increment()
        latency.record(duration)
    }

    func circuits(_ health: [String: AccountHealth], accounts: [Account], now: Instant) {
        for account in accounts {
            let phase = health[account.id]?.breaker.phase(at: now) ?? .closed
            let value: Double = switch phase { case .closed: 0; case .halfOpen: 1; case .open: 2 }
            registry.makeGauge(descriptor: Self.circuit, labels: [("account", account.id)]).set(to: value)
        }
    }
}
