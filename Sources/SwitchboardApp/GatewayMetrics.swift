import Foundation
import Prometheus
import SwitchboardCore

/// The gateway's Prometheus metrics. Labels are bounded: account ids, providers, outcomes and classes only.
public struct GatewayMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    private let latency: DurationHistogram
    private let attemptCounters = CounterCache<AttemptLabels>()
    private let failoverCounters = CounterCache<String>()
    private let messageCounters = CounterCache<MessageLabels>()

    private struct AttemptLabels: Hashable, Sendable { var account, provider, outcome: String }
    private struct MessageLabels: Hashable, Sendable { var status: String; var error: String? }

    private static var attempts: MetricNameDescriptor { MetricNameDescriptor(namespace: "switchboard", metricName: "attempts", unitName: "total", helpText: "Provider attempts by account and outcome (accepted or failure class)") }
    private static var failovers: MetricNameDescriptor { MetricNameDescriptor(namespace: "switchboard", metricName: "failovers", unitName: "total", helpText: "Failovers away from an account") }
    private static var messages: MetricNameDescriptor { MetricNameDescriptor(namespace: "switchboard", metricName: "messages", unitName: "total", helpText: "Messages by final status and error code") }
    private static var circuit: MetricNameDescriptor { MetricNameDescriptor(namespace: "switchboard", metricName: "circuit_state", unitName: "", helpText: "Circuit per account: 0 closed, 1 half-open, 2 open") }
    private static var queueDepth: MetricNameDescriptor { MetricNameDescriptor(namespace: "switchboard", metricName: "queue_depth", unitName: "", helpText: "Queued messages not yet sent (including those waiting for a retry or a pair slot)") }
    private static var queueLag: MetricNameDescriptor { MetricNameDescriptor(namespace: "switchboard", metricName: "queue_lag", unitName: "seconds", helpText: "How long the most overdue queued message has been due; 0 when none is") }
    private static var webhookDeliveries: MetricNameDescriptor { MetricNameDescriptor(namespace: "switchboard", metricName: "webhook_deliveries", unitName: "total", helpText: "Webhook delivery attempts by outcome: delivered (2xx), failed, refused (private address)") }
    private static var duration: MetricNameDescriptor { MetricNameDescriptor(namespace: "switchboard", metricName: "send_duration", unitName: "seconds", helpText: "Time from request to outcome for one recipient") }

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        latency = registry.makeDurationHistogram(
            descriptor: Self.duration, labels: [],
            buckets: [.milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250),
                      .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5), .seconds(10)])
    }

    func attempt(_ attempt: Attempt) {
        attemptCounters.counter(AttemptLabels(account: attempt.account, provider: attempt.provider, outcome: attempt.outcome.text)) {
            registry.makeCounter(descriptor: Self.attempts, labels: [("account", attempt.account), ("provider", attempt.provider), ("outcome", attempt.outcome.text)])
        }.increment()
        if attempt.decision == .failOver {
            failoverCounters.counter(attempt.account) {
                registry.makeCounter(descriptor: Self.failovers, labels: [("account", attempt.account)])
            }.increment()
        }
    }

    func message(status: String, errorCode: String?, duration: Duration) {
        settled(status: status, errorCode: errorCode)
        latency.record(duration)
    }

    /// A message's outcome without a request to time it against (queued sends).
    func settled(status: String, errorCode: String?) {
        messageCounters.counter(MessageLabels(status: status, error: errorCode)) {
            registry.makeCounter(descriptor: Self.messages, labels: [("status", status), ("error", errorCode ?? "none")])
        }.increment()
    }

    /// Set at scrape time from the store, so the figure is never stale.
    func queue(depth: Int, nextDue: Date?, now: Date) {
        registry.makeGauge(descriptor: Self.queueDepth, labels: []).set(to: Double(depth))
        registry.makeGauge(descriptor: Self.queueLag, labels: []).set(to: max(0, nextDue.map { now.timeIntervalSince($0) } ?? 0))
    }

    enum WebhookOutcome: String { case delivered, failed, refused }

    func webhookDelivery(_ outcome: WebhookOutcome) {
        registry.makeCounter(descriptor: Self.webhookDeliveries, labels: [("outcome", outcome.rawValue)]).increment()
    }

    func circuits(_ health: [String: AccountHealth], accounts: [Account], now: Instant) {
        for account in accounts {
            let phase = health[account.id]?.breaker.phase(at: now) ?? .closed
            let value: Double = switch phase { case .closed: 0; case .halfOpen: 1; case .open: 2 }
            registry.makeGauge(descriptor: Self.circuit, labels: [("account", account.id)]).set(to: value)
        }
    }
}
