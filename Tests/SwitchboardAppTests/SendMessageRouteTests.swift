import Foundation
import Hummingbird
import HummingbirdTesting
import SwitchboardSimulators
import SwitchboardStore
import SwitchboardTestSupport
import Testing

@Suite struct SendMessageRouteTests {
    @Test func withoutAValidKeyEveryV1RouteIs401() async throws {
        try await GatewayHarness.withRouter { client, host, _ in
            for uri in ["/v1/messages", "/v1/accounts", "/v1/route?to=919812345678", "/v1/templates", "/v1/numbers", "/v1/messages/x"] {
                let missing = try await client.get(uri, headers: [:])
                #expect(missing.status == .unauthorized)
                #expect(missing.json.errorCode == "unauthorized")
                let wrong = try await client.get(uri, headers: [.authorization: "Bearer test-key-012345678X"])
                #expect(wrong.status == .unauthorized)
            }
            let second = try await client.get("/v1/accounts", headers: [.authorization: "Bearer second-key-abcdef"])
            #expect(second.status == .ok)
            #expect(try await client.send(#"{"to":"+919812345678","text":"hi"}"#, headers: [:]).status == .unauthorized)
            #expect(await host.requests.all().isEmpty)
        }
    }

    @Test func singleRecipientSuccessCarriesAccountProviderIdAndAttempts() async throws {
        try await GatewayHarness.withRouter { client, _, _ in
            let answer = try await client.sendMessages(#"{"to":"+919812345678","text":"hello","ref":"order-1"}"#)
            #expect(answer.status == .ok)
            let message = try #require(answer.messages.first)
            #expect(message.to == "+919812345678")
            #expect(message.status == "accepted")
            #expect(message.account == "kaleyra-in")
            #expect(message.provider == "kaleyra")
            #expect(message.route == "india")
            #expect(message.kind == "text")
            #expect(message.ref == "order-1", "the answer repeats the app's ref, as a lookup does")
            #expect(message.ref1 == nil)
            #expect(message.providerMessageId?.hasSuffix(":0") == true)
            #expect(message.id.hasPrefix("msg_"))
            let attempts = try #require(message.attempts)
            #expect(attempts.map(\.outcome) == ["accepted"])
            #expect(attempts.map(\.decision) == ["done"])
            #expect(message.error == nil)
        }
    }

    @Test func aQueuedAnswerRepeatsTheKindAndRefs() async throws {
        try await GatewayHarness.withRouter { client, _, _ in
            let answer = try await client.sendMessages(
                #"{"to":"+919812345678","template":{"name":"order_update","language":"en"},"ref":"r-7","ref2":"batch-3","mode":"queued"}"#)
            #expect(answer.status == .accepted)
            let message = try #require(answer.messages.first)
            #expect(message.status == "queued")
            #expect(message.kind == "template")
            #expect(message.ref == "r-7")
            #expect(message.ref1 == nil)
            #expect(message.ref2 == "batch-3")
        }
    }

    @Test func severalRecipientsAnswerPerEntryAndShareOneProviderRequestPerAccount() async throws {
        try await GatewayHarness.withRouter { client, host, _ in
            let answer = try await client.sendMessages(#"{"to":"+919812345678,+12025550123,919812345679","text":"hello"}"#)
            #expect(answer.status == .ok)
            #expect(answer.messages.map(\.to) == ["+919812345678", "+12025550123", "+919812345679"])
            #expect(answer.messages.map(\.account) == ["kaleyra-in", "klaros", "kaleyra-in"])
            #expect(await host.requests.count(endpoint: "kaleyra.in") == 1)
        }
    }

    @Test func aMixedBatchReportsEachRecipientsOwnError() async throws {
        try await GatewayHarness.withRouter { client, host, _ in
            await host.faults.set(.unavailable, for: "kaleyra.eu")
            let answer = try await client.sendMessages(#"{"to":["+919812345678","+447700900123"],"text":"hello"}"#)
            #expect(answer.status == .ok)
            #expect(answer.messages.map(\.status) == ["accepted", "failed"])
            #expect(answer.messages.map(\.error?.code) == [nil, "provider_error"])
            let failed = answer.messages[1].attempts ?? []
            #expect(!failed.isEmpty && failed.allSatisfy { $0.account == "kaleyra-eu" && $0.errorCode == "unavailable" })
        }
    }

    static let badInput: [(body: String, status: HTTPResponse.Status, code: String)] = [
        ("{", .badRequest, "invalid_request"),
        ("[]", .badRequest, "invalid_request"),
        (#"{"text":"hi"}"#, .badRequest, "invalid_request"),
        (#"{"to":919812345678,"text":"hi"}"#, .badRequest, "invalid_request"),
        (#"{"to":"+919812345678"}"#, .badRequest, "invalid_request"),
        (#"{"to":"+919812345678","text":"hi","template":{"name":"a","language":"en"}}"#, .badRequest, "invalid_request"),
        (#"{"to":"+919812345678","text":7}"#, .badRequest, "invalid_request"),
        (#"{"to":"+919812345678","text":"hi","tempalte":1}"#, .badRequest, "invalid_request"),
        (#"{"to":"+919812345678","template":{"name":"a"}}"#, .badRequest, "invalid_request"),
        (#"{"to":["+919812345678","+919812345678"],"text":"hi"}"#, .badRequest, "invalid_request"),
        (#"{"to":"+919812345678","text":"hi","from":"nobody"}"#, .badRequest, "invalid_request"),
        (#"{"to":"+919812345678","text":"hi","route":"mars"}"#, .badRequest, "invalid_request"),
        (#"{"to":"+91 98123 45678","text":"hi"}"#, .badRequest, "invalid_recipient"),
        (#"{"to":"12345","text":"hi"}"#, .badRequest, "invalid_recipient"),
        (#"{"to":"+919812345678","text":""}"#, .unprocessableContent, "invalid_content"),
        ("TEXT_4097", .unprocessableContent, "invalid_content"),
        ("REF_256", .unprocessableContent, "invalid_content"),
        ("TO_101", .badRequest, "invalid_request"),
        ("BODY_1.1MB", .contentTooLarge, "payload_too_large"),
    ]

    /// Large bodies are named in the arguments and built here, so test output stays readable.
    static func expand(_ body: String) -> String {
        switch body {
        case "TEXT_4097": "{\"to\":\"+919812345678\",\"text\":\"" + String(repeating: "x", count: 4097) + "\"}"
        case "REF_256": "{\"to\":\"+919812345678\",\"text\":\"hi\",\"ref\":\"" + String(repeating: "r", count: 256) + "\"}"
        case "TO_101": "{\"to\":[" + (0..<101).map { "\"+9198123456\(String(format: "%02d", $0))\"" }.joined(separator: ",") + "],\"text\":\"hi\"}"
        case "BODY_1.1MB": "{\"to\":\"+919812345678\",\"text\":\"" + String(repeating: "x", count: 1_100_000) + "\"}"
        default: body
        }
    }

    @Test(arguments: badInput)
    func badInputGetsAClearErrorAndNeverReachesAProviderOrTheStore(body: String, status: HTTPResponse.Status, code: String) async throws {
        try await GatewayHarness.withRouter { client, host, store in
            let answer = try await client.send(Self.expand(body))
            #expect(answer.status == status)
            #expect(answer.json.errorCode == code)
            #expect((answer.json.error["message"] as? String)?.isEmpty == false)
            #expect(await host.requests.all().isEmpty)
            #expect(try await store.messages(MessageQuery(limit: 10)).isEmpty)
        }
    }

    @Test func providerRejectionsMapToTheirStatusWithProviderCodeAndAttempts() async throws {
        try await GatewayHarness.withRouter { client, host, _ in
            await host.faults.set(.error("E13009"), for: "kaleyra.in")
            let rejected = try await client.send(#"{"to":"+919812345678","text":"hi"}"#)
            #expect(rejected.status == .badRequest)
            #expect(rejected.json.errorCode == "invalid_recipient")
            #expect(rejected.json.error["providerCode"] as? String == "E13009")
            #expect((rejected.json.error["attempts"] as? [[String: Any]])?.count == 1)
            #expect((rejected.json.error["messageId"] as? String)?.hasPrefix("msg_") == true)

            // A content error no provider would take stops at the first (Kaleyra's E413 now fails over).
            await host.faults.set(.error("E13001"), for: "kaleyra.in")
            let content = try await client.send(#"{"to":"+919812345678","text":"hi"}"#)
            #expect(content.status == .unprocessableContent)
            #expect(content.json.errorCode == "invalid_content")
        }
    }

    @Test func textOutsideTheWindowIs409NeedsTemplate() async throws {
        try await GatewayHarness.withRouter(klarosWindowsOpen: false) { client, _, _ in
            let answer = try await client.send(#"{"to":"+12025550123","text":"hi"}"#)
            #expect(answer.status == .conflict)
            #expect(answer.json.errorCode == "needs_template")
            #expect(answer.json.error["needsTemplate"] as? Bool == true)
            let template = try await client.send(#"{"to":"+12025550123","template":{"name":"order_update","language":"en_US"}}"#)
            #expect(template.status == .ok)
        }
    }

    @Test func everyCandidateFailingIs502AndAllCircuitsOpenIs503() async throws {
        let policy = #"{"retriesPerAccount": 0, "backoff": {"baseMs": 1, "maxMs": 2}, "circuitBreaker": {"failureThreshold": 1, "cooldownMs": 60000}}"#
        try await GatewayHarness.withRouter(policy: policy) { client, host, _ in
            await host.faults.set(.unavailable, for: "kaleyra.eu")
            let failed = try await client.send(#"{"to":"+447700900123","text":"hi"}"#)
            #expect(failed.status == .badGateway)
            #expect(failed.json.errorCode == "provider_error")
            let noRoute = try await client.send(#"{"to":"+447700900123","text":"hi"}"#)
            #expect(noRoute.status == .serviceUnavailable)
            #expect(noRoute.json.errorCode == "no_route_available")
            #expect(await host.requests.count(endpoint: "kaleyra.eu") == 1)
        }
    }

    @Test func anUnmatchedNumberIs503NoRoute() async throws {
        try await GatewayHarness.withRouter { client, _, _ in
            let answer = try await client.send(#"{"to":"+5511912345678","text":"hi"}"#)
            #expect(answer.status == .serviceUnavailable)
            #expect(answer.json.errorCode == "no_route_available")
        }
    }

    @Test func aHangingProviderIs504StatusUnknownAndNotRetried() async throws {
        try await GatewayHarness.withRouter { client, host, store in
            await host.faults.set(.hang(seconds: 30), for: "kaleyra.in")
            let answer = try await client.send(#"{"to":"+919812345678","text":"hi"}"#)
            #expect(answer.status == .gatewayTimeout)
            #expect(answer.json.errorCode == "status_unknown")
            #expect(await host.requests.count(endpoint: "kaleyra.in") == 1)
            #expect(await host.requests.count(endpoint: "klaros.main") == 0)
            let unknown = try await store.messages(MessageQuery(status: .unknown, limit: 5))
            #expect(unknown.count == 1)
        }
    }
}
