import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SwitchboardCore
import SwitchboardSimulators
import SwitchboardStore
import Testing

@Suite struct InboundRouteTests {
    /// The gateway's clock now, and a year ahead: a window test that passes only near the day it was written fails
    /// on the second (the window is counted from event stamps, which must follow the clock the gateway runs on).
    static let clockOffsets: [TimeInterval] = [0, 365 * 86_400]

    /// A Klaros event stamped `at` (by default now on the system clock), as Klaros sends it: ISO 8601, UTC.
    static func klarosEvent(_ type: String, _ data: [String: String], id: String = UUID().uuidString, at: Date = Date()) -> String {
        klarosEvent(type, data, id: id, createdAt: Timestamp.iso8601(at))
    }

    static func klarosEvent(_ type: String, _ data: [String: String], id: String? = UUID().uuidString, createdAt: Any) -> String {
        var event: [String: Any] = ["type": type, "created_at": createdAt, "data": data]
        if let id { event["id"] = id }
        return String(decoding: try! JSONSerialization.data(withJSONObject: event, options: [.sortedKeys]), as: UTF8.self)
    }

    static func sign(_ body: String, secret: String = GatewayHarness.klarosSecret) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data(body.utf8), using: SymmetricKey(data: Data(secret.utf8)))
        return "sha256=" + mac.map { String(format: "%02x", $0) }.joined()
    }

    static func postKlaros(_ client: some TestClientProtocol, _ body: String, signature: String?) async throws -> HTTPResponse.Status {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let signature { headers[HTTPField.Name("X-Klaros-Signature")!] = signature }
        return try await client.execute(uri: "/inbound/klaros/klaros", method: .post, headers: headers, body: ByteBuffer(string: body)) { $0.status }
    }

    @Test(arguments: [("good", HTTPResponse.Status.ok, true), ("bad", .unauthorized, false), ("missing", .unauthorized, false), ("other-secret", .unauthorized, false)])
    func klarosEventsAreVerifiedBeforeAnythingIsStored(signature: String, status: HTTPResponse.Status, stored: Bool) async throws {
        try await GatewayHarness.withRouter { client, _, store in
            let body = Self.klarosEvent("message.received", ["from": "15551234567", "text": "Hi!", "wa_message_id": "wamid.in1"])
            let header: String? = switch signature {
            case "good": Self.sign(body)
            case "bad": Self.sign(body + " ")
            case "other-secret": Self.sign(body, secret: "nope")
            default: nil
            }
            let answered = try await Self.postKlaros(client, body, signature: header)
            let thread = try await store.thread(customer: "15551234567", limit: 10)
            #expect(answered == status)
            #expect(thread.isEmpty == !stored)
        }
    }

    @Test func kaleyraCallbacksNeedTheAccountsTokenAndMoveStatusesForward() async throws {
        try await GatewayHarness.withRouter { client, _, store in
            let sent = try await client.send(#"{"to":"+919812345678","text":"hi"}"#)
            let entry = try #require(sent.json.entries.first)
            let providerId = try #require(entry["providerMessageId"] as? String)
            let id = try #require(entry["id"] as? String)
            let escaped = providerId.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            func callback(_ status: String, token: String?) async throws -> HTTPResponse.Status {
                let query = "id=\(escaped)&status=\(status)" + (token.map { "&token=\($0)" } ?? "")
                return try await client.execute(uri: "/inbound/kaleyra/kaleyra-in/status?\(query)", method: .get) { $0.status }
            }
            #expect(try await callback("delivered", token: nil) == .unauthorized)
            #expect(try await callback("delivered", token: "wrong") == .unauthorized)
            #expect(try await store.message(id: id)?.status == .accepted)
            #expect(try await callback("delivered", token: GatewayHarness.kaleyraToken) == .ok)
            #expect(try await callback("sent", token: GatewayHarness.kaleyraToken) == .ok, "late and out of order")
            #expect(try await callback("delivered", token: GatewayHarness.kaleyraToken) == .ok, "duplicate")
            #expect(try await store.message(id: id)?.status == .delivered)
            #expect(try await callback("0", token: GatewayHarness.kaleyraToken) == .ok)
            #expect(try await store.message(id: id)?.status == .failed)
            #expect(try await callback("read", token: GatewayHarness.kaleyraToken) == .ok)
            let message = try #require(try await store.message(id: id))
            #expect(message.status == .failed, "failed is final")
            #expect(message.history.map(\.status).prefix(4) == ["sending", "accepted", "delivered", "sent"])

            let form = try await client.execute(
                uri: "/inbound/kaleyra/kaleyra-in/status", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "id=x&status=delivered&token=\(GatewayHarness.kaleyraToken)")) { $0.status }
            #expect(form == .ok)
            #expect(try await client.execute(uri: "/inbound/kaleyra/kaleyra-in/status?token=\(GatewayHarness.kaleyraToken)", method: .get) { $0.status } == .badRequest)
            #expect(try await client.execute(uri: "/inbound/kaleyra/nobody/status?id=x&status=sent", method: .get) { $0.status } == .notFound)
        }
    }

    @Test(arguments: clockOffsets)
    func aTextFollowsTheLineTheCustomerWroteTo(clockOffset: TimeInterval) async throws {
        let clock = WallClock.shifted(by: clockOffset)
        try await GatewayHarness.withRouter(wallClock: clock) { client, host, _ in
            let body = Self.klarosEvent("message.received", ["from": "919812345678", "text": "hello", "wa_message_id": "wamid.in2"], at: clock.now())
            #expect(try await Self.postKlaros(client, body, signature: Self.sign(body)) == .ok)
            let text = try await client.send(#"{"to":"+919812345678","text":"thanks for writing"}"#)
            #expect(text.json.entries.first?["account"] as? String == "klaros", "india's route lists kaleyra-in first, but the window is on klaros")
            let template = try await client.send(#"{"to":"+919812345678","template":{"name":"order_update","language":"en_US"}}"#)
            #expect(template.json.entries.first?["account"] as? String == "kaleyra-in", "templates need no window")
            #expect(await host.requests.count(endpoint: "klaros.main") == 1)

            let conversations = try await client.get("/v1/conversations")
            let first = try #require(conversations.json.entries.first)
            #expect(first["phone"] as? String == "+919812345678")
            #expect((first["window"] as? [String: Any])?["account"] as? String == "klaros")
            let thread = try await client.get("/v1/conversations/919812345678/messages")
            #expect(thread.json.entries.map { $0["direction"] as? String } == ["in", "out", "out"])
            #expect(thread.json.entries.map { $0["account"] as? String } == ["klaros", "klaros", "kaleyra-in"])
        }
    }

    @Test(arguments: clockOffsets)
    func enforcedWindowsRefuseTextWithoutACallButAllowTemplates(clockOffset: TimeInterval) async throws {
        let policy = #"{"sessionWindow": "enforce", "backoff": {"baseMs": 1, "maxMs": 2}}"#
        let clock = WallClock.shifted(by: clockOffset)
        try await GatewayHarness.withRouter(policy: policy, wallClock: clock) { client, host, _ in
            let refused = try await client.send(#"{"to":"+919812345678","text":"hi"}"#)
            #expect(refused.status == .conflict)
            #expect(refused.json.errorCode == "needs_template")
            #expect(refused.json.error["needsTemplate"] as? Bool == true)
            #expect(await host.requests.all().isEmpty)
            #expect(try await client.send(#"{"to":"+919812345678","template":{"name":"order_update","language":"en_US"}}"#).status == .ok)

            let body = Self.klarosEvent("message.received", ["from": "919812345678", "text": "ok", "wa_message_id": "wamid.in3"], at: clock.now())
            _ = try await Self.postKlaros(client, body, signature: Self.sign(body))
            let allowed = try await client.send(#"{"to":"+919812345678","text":"now you can"}"#)
            #expect(allowed.status == .ok)
            #expect(allowed.json.entries.first?["account"] as? String == "klaros")
        }
    }

    @Test func optedOutCustomersAreRefusedUntilTheyWriteAgain() async throws {
        try await GatewayHarness.withRouter { client, host, _ in
            let optout = Self.klarosEvent("message.optout", ["from": "919812345678"])
            #expect(try await Self.postKlaros(client, optout, signature: Self.sign(optout)) == .ok)
            let refused = try await client.send(#"{"to":"+919812345678","template":{"name":"order_update","language":"en_US"}}"#)
            #expect(refused.status == .conflict)
            #expect(refused.json.errorCode == "opted_out")
            #expect(await host.requests.all().isEmpty)
            let batch = try await client.send(#"{"to":["+919812345678","+12025550123"],"text":"hi"}"#)
            #expect(batch.json.entries.map { ($0["error"] as? [String: Any])?["code"] as? String } == ["opted_out", nil])

            let back = Self.klarosEvent("message.received", ["from": "919812345678", "text": "START", "wa_message_id": "wamid.in4"])
            _ = try await Self.postKlaros(client, back, signature: Self.sign(back))
            #expect(try await client.send(#"{"to":"+919812345678","text":"welcome back"}"#).status == .ok)
        }
    }

    /// Events without an `id` used to be stored again on every replay.
    @Test func aReplayedEventWithoutAnIdIsHandledOnce() async throws {
        try await GatewayHarness.withRouter { client, _, store in
            let body = Self.klarosEvent("message.received", ["from": "919812345678", "text": "hi", "wa_message_id": "wamid.noid"], id: nil,
                                        createdAt: Timestamp.iso8601(Date()))
            func post() async throws -> String? {
                try await client.execute(uri: "/inbound/klaros/klaros", method: .post,
                                         headers: [.contentType: "application/json", HTTPField.Name("X-Klaros-Signature")!: Self.sign(body)],
                                         body: ByteBuffer(string: body)) { (try GatewayHarness.json($0.body)["data"] as? [String: Any])?["result"] as? String }
            }
            let first = try await post()
            let second = try await post()
            #expect(first == "recorded")
            #expect(second == "duplicate")
            #expect(try await store.thread(customer: "919812345678", limit: 10).count == 1)
            let other = Self.klarosEvent("message.received", ["from": "919812345678", "text": "again", "wa_message_id": "wamid.noid2"], id: nil,
                                         createdAt: Timestamp.iso8601(Date()))
            #expect(try await Self.postKlaros(client, other, signature: Self.sign(other)) == .ok)
            #expect(try await store.thread(customer: "919812345678", limit: 10).count == 2, "another message is not a replay")
        }
    }
}
