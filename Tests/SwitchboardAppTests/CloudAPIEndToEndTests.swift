import AsyncHTTPClient
import Foundation
import Logging
import SwitchboardApp
import SwitchboardSimulators
import Testing

/// The third provider through the whole gateway over loopback: Meta's handshake, a send whose window was closed
/// failing by status callback with 131047, a customer writing in, and the next send reaching read.
@Suite struct CloudAPIEndToEndTests {
    @Test func handshakeSendsStatusesAndInboundGoThroughTheGenericRoute() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("switchboard-cloud-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let port = try await WebhookReceiver.freePort()
        let publicURL = "http://127.0.0.1:\(port)"
        let simulators = SimulatorHost(setup: .init(cloudAPI: [.init(
            id: "main", accessToken: "EAAG-e2e", phoneNumberIds: ["109000000000001"], windowsOpen: false,
            webhookURL: "\(publicURL)/inbound/cloud-api/cloud", appSecret: "e2e-app-secret", callbackDelayMs: 10)]))
        try await simulators.withRunning { host in
            let json = """
                {"server": {"host": "127.0.0.1", "port": \(port)}, "storage": {"sqlite": "\(directory)/gateway.sqlite"},
                 "apiKeys": ["\(GatewayHarness.apiKey)"],
                 "accounts": [{"id": "cloud", "provider": "cloud-api", "apiKey": "EAAG-e2e", "from": "109000000000001",
                   "baseURL": "\(await host.baseURL("cloud-api.main")!)", "webhookSecret": "e2e-app-secret",
                   "verifyToken": "e2e-verify"}],
                 "routes": [{"name": "all", "targets": ["cloud"]}], "policy": \(GatewayHarness.fastPolicy)}
                """
            let configuration = try GatewayConfiguration.parse(
                Data(json.utf8), file: "cloud.json", catalogs: GatewayHarness.catalogs, environment: [:])
            let app = try await buildApplication(configuration: configuration, logger: Logger(label: "cloud"))
            try await LiveGateway.run(app, port: port) { gateway in
                let verify = "\(publicURL)/inbound/cloud-api/cloud?hub.mode=subscribe&hub.challenge=8812"
                let accepted = try await GatewayHarness.client.execute(
                    HTTPClientRequest(url: verify + "&hub.verify_token=e2e-verify"), timeout: .seconds(5))
                #expect(accepted.status.code == 200)
                #expect(String(buffer: try await accepted.body.collect(upTo: 1024)) == "8812")
                let refused = try await gateway.request("GET", "/inbound/cloud-api/cloud?hub.mode=subscribe&hub.verify_token=no&hub.challenge=1")
                #expect(refused.status == 403)
                #expect(refused.json.errorCode == "forbidden")
                let unsigned = try await gateway.request("POST", "/inbound/cloud-api/cloud", body: #"{"entry":[]}"#, headers: [:])
                #expect(unsigned.status == 401)

                func status(of id: String, until wanted: String) async throws -> String {
                    var status = ""
                    for _ in 0..<200 where status != wanted {
                        status = (try await gateway.request("GET", "/v1/messages/\(id)").json["data"] as? [String: Any])?["status"] as? String ?? ""
                        if status != wanted { try await Task.sleep(for: .milliseconds(25)) }
                    }
                    return status
                }
                let first = try await gateway.request("POST", "/v1/messages", body: #"{"to":"+15551234567","text":"hello"}"#)
                let firstId = try #require(first.json.entries.first?["id"] as? String)
                #expect(try await status(of: firstId, until: "failed") == "failed", "the window was closed: 131047 by callback")

                #expect(await host.customerWrites(endpoint: "cloud-api.main", from: "+15551234567", text: "hi there", name: "Ana"))
                var thread: [[String: Any]] = []
                for _ in 0..<200 where !thread.contains(where: { $0["direction"] as? String == "in" }) {
                    thread = try await gateway.request("GET", "/v1/conversations/+15551234567/messages").json.entries
                    try await Task.sleep(for: .milliseconds(25))
                }
                let inbound = try #require(thread.first { $0["direction"] as? String == "in" })
                #expect(inbound["text"] as? String == "hi there")
                #expect(inbound["provider"] as? String == "cloud-api")

                let second = try await gateway.request("POST", "/v1/messages", body: #"{"to":"+15551234567","text":"thanks"}"#)
                let secondId = try #require(second.json.entries.first?["id"] as? String)
                #expect(try await status(of: secondId, until: "read") == "read")
                #expect(await host.requests.all().allSatisfy { $0.path == "/v21.0/109000000000001/messages" })
            }
        }
    }
}
