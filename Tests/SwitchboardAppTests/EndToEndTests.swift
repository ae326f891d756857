import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import SwitchboardApp
import SwitchboardSimulators
import Testing

/// The production application (SQLite file, pooled client) over real HTTP, against the simulators, across a restart.
@Suite struct EndToEndTests {
    @Test func routingBatchingFailoverIdempotencyAndLookupAfterRestart() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("switchboard-e2e-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try await GatewayHarness.simulators().withRunning { host in
            let configuration = try await GatewayHarness.configuration(host, policy: GatewayHarness.fastPolicy, storage: directory + "/gateway.sqlite")
            let keyed: HTTPFields = {
                var fields = GatewayHarness.auth
                fields[HTTPField.Name("Idempotency-Key")!] = "e2e-once"
                return fields
            }()

            let firstRun = try await buildApplication(configuration: configuration, logger: Logger(label: "e2e")).test(.live) { client in
                #expect(try await client.get("/healthz", headers: [:]).status == .ok)
                let batch = try await client.send(#"{"to":"+919812345678,+12025550123,+919812345679,+447700900123","text":"hello"}"#)
                #expect(batch.status == .ok)
                #expect(batch.json.entries.map { $0["route"] as? String } == ["india", "north-america", "india", "europe"])
                #expect(batch.json.entries.map { $0["account"] as? String } == ["kaleyra-in", "klaros", "kaleyra-in", "kaleyra-eu"])
                #expect(await host.requests.count(endpoint: "kaleyra.in") == 1, "both Indian recipients in one Kaleyra request")

                await host.faults.set(.unavailable, for: "kaleyra.in")
                let failover = try await client.send(#"{"to":"+919812345678","text":"again"}"#, headers: keyed)
                #expect(failover.status == .ok)
                #expect(failover.json.entries.first?["account"] as? String == "klaros")
                #expect((failover.json.entries.first?["attempts"] as? [[String: Any]])?.map { $0["errorCode"] as? String } == ["unavailable", "unavailable", nil])
                await host.faults.clear("kaleyra.in")
                let sent = batch.json.entries.map { ($0["id"] as? String ?? "", $0["status"] as? String ?? "") }
                return (sent, failover.json.entries.first?["id"] as? String)
            }
            let providerCalls = await host.requests.all().count

            try await buildApplication(configuration: configuration, logger: Logger(label: "e2e")).test(.live) { client in
                for (id, status) in firstRun.0 {
                    let found = try await client.get("/v1/messages/\(id)")
                    #expect(found.status == .ok)
                    #expect((found.json["data"] as? [String: Any])?["status"] as? String == status)
                }
                let replay = try await client.send(#"{"to":"+919812345678","text":"again"}"#, headers: keyed)
                #expect(replay.status == .ok)
                #expect(replay.json.entries.first?["id"] as? String == firstRun.1)
                #expect(try await client.get("/v1/messages?limit=200").json.entries.count == 5)
            }
            #expect(await host.requests.all().count == providerCalls, "nothing was sent again after the restart")
        }
    }
}
