import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import SwitchboardApp
import SwitchboardSimulators
import Testing

/// Send → the simulator calls back → the message is delivered → the app's webhook gets signed events it can verify.
@Suite struct DeliveryLoopEndToEndTests {
    @Test func providerCallbacksReachTheAppAsVerifiableWebhooks() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("switchboard-loop-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let port = try await WebhookReceiver.freePort()
        let publicURL = "http://127.0.0.1:\(port)"
        let simulators = SimulatorHost(setup: .init(
            kaleyra: .init(pods: ["in": 0, "eu": 0], accounts: [
                .init(sid: "HXIN001", apiKey: "kal-in-key", pod: "in", lines: ["+919000000001"], receiveURL: "\(publicURL)/inbound/kaleyra/kaleyra-in/receive?token=\(GatewayHarness.kaleyraToken)"),
                .init(sid: "HXEU001", apiKey: "kal-eu-key", pod: "eu", lines: ["+449000000001"]),
            ], callbackDelayMs: 20),
            klaros: [.init(id: "main", apiKey: "uni_live_test", numbers: ["123456789012345"], windowsOpen: true,
                           webhookURL: "\(publicURL)/inbound/klaros/klaros", webhookSecret: GatewayHarness.klarosSecret, callbackDelayMs: 20)]))
        try await WebhookReceiver.withReceiver { hookURL, inbox in
            try await simulators.withRunning { host in
                let configuration = try await GatewayHarness.configuration(host, policy: GatewayHarness.fastPolicy, storage: directory + "/gateway.sqlite", port: port)
                let app = try await buildApplication(configuration: configuration, logger: Logger(label: "loop"))
                try await LiveGateway.run(app, port: port) { gateway in
                    let registered = try await gateway.request("POST", "/v1/webhooks", body: #"{"url":"\#(hookURL)"}"#).json
                    let secret = try #require((registered["data"] as? [String: Any])?["secret"] as? String)

                    let sent = try await gateway.request("POST", "/v1/messages", body: #"{"to":["+919812345678","+12025550123"],"text":"hello"}"#)
                    let ids = sent.json.entries.compactMap { $0["id"] as? String }
                    #expect(ids.count == 2)
                    for id in ids {
                        var status = ""
                        for _ in 0..<200 where status != "read" {
                            status = (try await gateway.request("GET", "/v1/messages/\(id)").json["data"] as? [String: Any])?["status"] as? String ?? ""
                            if status != "read" { try await Task.sleep(for: .milliseconds(25)) }
                        }
                        #expect(status == "read", "\(id) reached read through the provider's callbacks")
                    }

                    #expect(await host.customerWrites(endpoint: "kaleyra.in", from: "+919812345678", text: "got it, thanks"))
                    let deliveries = try await inbox.waitUntil { delivered in
                        let types = WebhookInbox.types(delivered)
                        return types.contains("message.received") && types.filter { $0 == "message.status" }.count >= 5
                    }
                    var types: [String] = []
                    for delivery in deliveries {
                        try StandardWebhooksVerifier.verify(secret: secret, headers: delivery.headers, body: delivery.body)
                        let event = try #require(try JSONSerialization.jsonObject(with: delivery.body) as? [String: Any])
                        #expect(event["id"] as? String == delivery.headers["webhook-id"])
                        types.append(event["type"] as? String ?? "")
                        #expect(throws: StandardWebhooksVerifier.Failure.noMatchingSignature) {
                            try StandardWebhooksVerifier.verify(secret: secret, headers: delivery.headers, body: delivery.body + Data(" ".utf8))
                        }
                    }
                    // Kaleyra: accepted → sent → delivered → read (3 changes); Klaros answered the send with "sent", so only delivered → read.
                    #expect(types.filter { $0 == "message.status" }.count == 5)
                    #expect(types.contains("message.received"))
                    let received = try #require(deliveries.first { (try? JSONSerialization.jsonObject(with: $0.body) as? [String: Any])?["type"] as? String == "message.received" })
                    let data = try #require((try JSONSerialization.jsonObject(with: received.body) as? [String: Any])?["data"] as? [String: Any])
                    #expect(data["from"] as? String == "+919812345678")
                    #expect(data["text"] as? String == "got it, thanks")
                    #expect(data["account"] as? String == "kaleyra-in")
                }
            }
        }
    }
}
