import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct WebhookRouteTests {
    @Test func registrationShowsTheSecretOnceAndListsDeliveries() async throws {
        try await GatewayHarness.withRouter { client, _, _ in
            let created = try await client.execute(uri: "/v1/webhooks", method: .post, headers: GatewayHarness.auth,
                                                   body: ByteBuffer(string: #"{"url":"http://127.0.0.1:9/hook","events":["message.status"]}"#)) {
                ($0.status, try GatewayHarness.json($0.body))
            }
            #expect(created.0 == .created)
            let data = try #require(created.1["data"] as? [String: Any])
            let id = try #require(data["id"] as? String)
            #expect((data["secret"] as? String)?.hasPrefix("whsec_") == true)
            #expect(Data(base64Encoded: String((data["secret"] as! String).dropFirst(6)))?.count == 32)
            #expect(data["events"] as? [String] == ["message.status"])

            let listed = try await client.get("/v1/webhooks")
            #expect(listed.json.entries.map { $0["id"] as? String } == [id])
            #expect(listed.json.entries.first?["secret"] == nil)

            _ = try await client.send(#"{"to":"+919812345678","text":"hi"}"#)
            let escapedId = try #require(try await client.get("/v1/messages").json.entries.first?["providerMessageId"] as? String)
            let callback = "/inbound/kaleyra/kaleyra-in/status?id=\(escapedId.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)&status=delivered&token=\(GatewayHarness.kaleyraToken)"
            _ = try await client.execute(uri: callback, method: .get) { $0.status }
            let deliveries = try await client.get("/v1/webhooks/\(id)/deliveries")
            #expect(deliveries.json.entries.map { $0["eventType"] as? String } == ["message.status"])
            #expect(deliveries.json.entries.first?["status"] as? String == "pending")

            #expect(try await client.execute(uri: "/v1/webhooks/\(id)", method: .delete, headers: GatewayHarness.auth) { $0.status } == .noContent)
            #expect(try await client.execute(uri: "/v1/webhooks/\(id)", method: .delete, headers: GatewayHarness.auth) { $0.status } == .notFound)
            #expect(try await client.get("/v1/webhooks/\(id)/deliveries").status == .notFound)
        }
    }

    static let refused: [(body: String, allowPrivate: Bool)] = [
        (#"{"url":"ftp://example.com/hook"}"#, true),
        (#"{"url":"not a url"}"#, true),
        (#"{}"#, true),
        (#"{"url":"https://example.com/hook","events":["message.exploded"]}"#, true),
        (#"{"url":"https://example.com/hook","extra":1}"#, true),
        (#"{"url":"http://127.0.0.1:8080/hook"}"#, false),
        (#"{"url":"http://10.1.2.3/hook"}"#, false),
        (#"{"url":"http://192.168.1.10/hook"}"#, false),
        (#"{"url":"http://localhost/hook"}"#, false),
        (#"{"url":"http://[::1]/hook"}"#, false),
        (#"{"url":"http://169.254.169.254/latest"}"#, false),
        // The same addresses written the other ways the resolver reads them.
        (#"{"url":"http://127.1/hook"}"#, false),
        (#"{"url":"http://2130706433/hook"}"#, false),
        (#"{"url":"http://0x7f000001/hook"}"#, false),
        (#"{"url":"http://0177.0.0.1/hook"}"#, false),
        (#"{"url":"http://0xa9.0xfe.0xa9.0xfe/latest"}"#, false),
        (#"{"url":"http://[0:0:0:0:0:0:0:1]/hook"}"#, false),
        (#"{"url":"http://[::ffff:a00:1]/hook"}"#, false),
        (#"{"url":"http://localhost./hook"}"#, false),
    ]

    @Test(arguments: refused)
    func badOrPrivateURLsAreRefused(body: String, allowPrivate: Bool) async throws {
        try await GatewayHarness.withRouter(allowPrivateWebhooks: allowPrivate) { client, _, store in
            let answer = try await client.execute(uri: "/v1/webhooks", method: .post, headers: GatewayHarness.auth, body: ByteBuffer(string: body)) {
                ($0.status, try GatewayHarness.json($0.body))
            }
            #expect(answer.0 == .badRequest)
            #expect(answer.1.errorCode == "invalid_request")
            #expect(try await store.webhooks().isEmpty)
        }
    }

    @Test func publicURLsAreAcceptedWhenPrivateOnesAreNot() async throws {
        try await GatewayHarness.withRouter(allowPrivateWebhooks: false) { client, _, _ in
            let status = try await client.execute(uri: "/v1/webhooks", method: .post, headers: GatewayHarness.auth,
                                                  body: ByteBuffer(string: #"{"url":"https://hooks.example.com/switchboard"}"#)) { $0.status }
            #expect(status == .created)
        }
    }
}
