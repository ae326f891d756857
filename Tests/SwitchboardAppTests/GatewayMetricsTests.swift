import Prometheus
@testable import SwitchboardApp
import SwitchboardCore
import Testing

/// Counters are cached by label values: the same labels keep counting into one series, other labels get their own.
@Suite struct GatewayMetricsTests {
    static func exposition(_ registry: PrometheusCollectorRegistry) -> [String] {
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        return String(decoding: buffer, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    @Test func repeatedLabelsCountIntoOneSeries() {
        let metrics = GatewayMetrics()
        let accepted = Attempt(account: "klaros", provider: "klaros", outcome: .accepted, durationMs: 3, decision: .done)
        let failed = Attempt(account: "kaleyra-in", provider: "kaleyra", outcome: .failed(.unavailable), durationMs: 3, decision: .failOver)
        for _ in 0..<3 { metrics.attempt(accepted) }
        metrics.attempt(failed)
        metrics.attempt(failed)
        metrics.settled(status: "sent", errorCode: nil)
        metrics.settled(status: "failed", errorCode: "invalid_recipient")
        metrics.settled(status: "sent", errorCode: nil)

        let lines = Self.exposition(metrics.registry)
        #expect(lines.contains(#"switchboard_attempts_total{account="klaros",provider="klaros",outcome="accepted"} 3"#))
        #expect(lines.contains(#"switchboard_attempts_total{account="kaleyra-in",provider="kaleyra",outcome="unavailable"} 2"#))
        #expect(lines.contains(#"switchboard_failovers_total{account="kaleyra-in"} 2"#))
        #expect(!lines.contains { $0.hasPrefix(#"switchboard_failovers_total{account="klaros"}"#) }, "no failover from klaros happened")
        #expect(lines.contains(#"switchboard_messages_total{status="sent",error="none"} 2"#))
        #expect(lines.contains(#"switchboard_messages_total{status="failed",error="invalid_recipient"} 1"#))
        #expect(lines.filter { $0.hasPrefix("switchboard_attempts_total{") }.count == 2)
    }

    /// Two metrics objects never share counts (each gateway, and each test, has its own registry).
    @Test func cachesBelongToTheirRegistry() {
        let first = GatewayMetrics()
        let second = GatewayMetrics()
        first.settled(status: "sent", errorCode: nil)
        second.settled(status: "sent", errorCode: nil)
        second.settled(status: "sent", errorCode: nil)
        #expect(Self.exposition(first.registry).contains(#"switchboard_messages_total{status="sent",error="none"} 1"#))
        #expect(Self.exposition(second.registry).contains(#"switchboard_messages_total{status="sent",error="none"} 2"#))
    }
}

/// The stored error code is the message's own (Core's `MessageError`); the HTTP error is derived from it in one place.
@Suite struct MessageErrorMappingTests {
    @Test(arguments: MessageError.allCases)
    func everyMessageErrorHasAnHTTPError(error: MessageError) {
        let code = APIError.Code(error)
        switch error {
        case .expired, .deliveryFailed: #expect(code == .providerError)
        case .interrupted: #expect(code == .internalError)
        default: #expect(code.rawValue == error.rawValue, "the shared codes keep their words")
        }
    }
}
