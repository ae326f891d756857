import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
@testable import SwitchboardApp
import SwitchboardSimulators
import SwitchboardStore
import SwitchboardTestSupport
import Testing

@Suite struct GatewayRouteTests {
    @Test func sameIdempotencyKeyAndBodyReplaysWithoutCallingTheProvider() async throws {
        try await GatewayHarness.withRouter { client, host, _ in
            var headers = GatewayHarness.auth
            headers[HTTPField.Name("Idempotency-Key")!] = "order-42"
            let first = try await client.send(#"{"to":"+919812345678","text":"hi"}"#, headers: headers)
            let again = try await client.send(#"{ "text": "hi", "to": ["919812345678"] }"#, headers: headers)
            #expect(first.status == .ok)
            #expect(again.status == .ok)
            #expect(first.json.entries.first?["id"] as? String == again.json.entries.first?["id"] as? String)
            #expect(await host.requests.count(endpoint: "kaleyra.in") == 1)

            let reused = try await client.send(#"{"to":"+919812345678","text":"different"}"#, headers: headers)
            #expect(reused.status == .unprocessableContent)
            #expect(reused.json.errorCode == "idempotency_key_reused")
        }
    }

    @Test func errorsAreReplayedTooAndBadKeysRejected() async throws {
        try await GatewayHarness.withRouter { client, host, _ in
            await host.faults.set(.error("E13009"), for: "kaleyra.in")
            var headers = GatewayHarness.auth
            headers[HTTPField.Name("Idempotency-Key")!] = "k-err"
            #expect(try await client.send(#"{"to":"+919812345678","text":"hi"}"#, headers: headers).status == .badRequest)
            await host.faults.clear("kaleyra.in")
            let replay = try await client.send(#"{"to":"+919812345678","text":"hi"}"#, headers: headers)
            #expect(replay.status == .badRequest)
            #expect(replay.json.errorCode == "invalid_recipient")
            #expect(await host.requests.count(endpoint: "kaleyra.in") == 1)

            headers[HTTPField.Name("Idempotency-Key")!] = String(repeating: "k", count: 256)
            #expect(try await client.send(#"{"to":"+919812345678","text":"hi"}"#, headers: headers).json.errorCode == "invalid_request")
        }
    }

    @Test func aConcurrentDuplicateIs409WhileTheFirstIsInFlight() async throws {
        try await GatewayHarness.withRouter { client, host, _ in
            // Long enough for the second request to find the first in flight, well inside the attempt timeout.
            await host.faults.set(.latency(ms: 200), for: "kaleyra.in")
            var headers = GatewayHarness.auth
            headers[HTTPField.Name("Idempotency-Key")!] = "busy"
            let keyed = headers
            // Both at once: whichever claims the key first is sent (the pod's latency keeps it in flight), the other
            // is told it is in progress.
            let answers = try await withThrowingTaskGroup(of: (HTTPResponse.Status, String?).self) { group in
                for _ in 0..<2 {
                    group.addTask {
                        let answer = try await client.send(#"{"to":"+919812345678","text":"hi"}"#, headers: keyed)
                        return (answer.status, answer.json.errorCode)
                    }
                }
                var answers: [(HTTPResponse.Status, String?)] = []
                for try await answer in group { answers.append(answer) }
                return answers
            }
            #expect(answers.filter { $0.0 == .ok }.count == 1, "\(answers)")
            #expect(answers.filter { $0.0 == .conflict && $0.1 == "idempotency_in_progress" }.count == 1, "\(answers)")
            #expect(await host.requests.count(endpoint: "kaleyra.in") == 1)
        }
    }

    @Test func messagesCanBeLookedUpWithAttemptsAndHistoryAndListed() async throws {
        try await GatewayHarness.withRouter { client, host, _ in
            await host.faults.set(.unavailable, for: "kaleyra.in")
            let sent = try await client.send(#"{"to":"+919812345678","text":"hi"}"#)
            let id = try #require(sent.json.entries.first?["id"] as? String)
            _ = try await client.send(#"{"to":"+12025550123","text":"hi"}"#)

            let found = try await client.get("/v1/messages/\(id)")
            #expect(found.status == .ok)
            let message = try #require(found.json["data"] as? [String: Any])
            #expect(message["status"] as? String == "sent")
            #expect(message["account"] as? String == "klaros")
            #expect((message["attempts"] as? [[String: Any]])?.map { $0["account"] as? String } == ["kaleyra-in", "kaleyra-in", "klaros"])
            #expect((message["history"] as? [[String: Any]])?.map { $0["status"] as? String } == ["sending", "sent"])

            #expect(try await client.get("/v1/messages/msg_nope").status == .notFound)
            #expect(try await client.get("/v1/messages").json.entries.count == 2)
            #expect(try await client.get("/v1/messages?to=%2B919812345678").json.entries.map { $0["id"] as? String } == [id])
            #expect(try await client.get("/v1/messages?limit=1").json.entries.first?["to"] as? String == "+12025550123")
            #expect(try await client.get("/v1/messages?status=failed").json.entries.isEmpty)
            #expect(try await client.get("/v1/messages?limit=201").json.errorCode == "invalid_request")
            #expect(try await client.get("/v1/messages?status=lost").json.errorCode == "invalid_request")
            #expect(try await client.get("/v1/messages?to=abc").json.errorCode == "invalid_recipient")
        }
    }

    @Test func accountsShowCircuitStateAndLastError() async throws {
        let policy = #"{"retriesPerAccount": 0, "backoff": {"baseMs": 1, "maxMs": 2}, "circuitBreaker": {"failureThreshold": 1, "cooldownMs": 60000}}"#
        try await GatewayHarness.withRouter(policy: policy) { client, host, _ in
            await host.faults.set(.unavailable, for: "kaleyra.in")
            _ = try await client.send(#"{"to":"+919812345678","text":"hi"}"#)
            let accounts = try await client.get("/v1/accounts").json.entries
            let kaleyra = try #require(accounts.first { $0["id"] as? String == "kaleyra-in" })
            #expect(kaleyra["circuit"] as? String == "open")
            #expect(kaleyra["failures"] as? Int == 1)
            #expect((kaleyra["lastError"] as? [String: Any])?["code"] as? String == "unavailable")
            #expect(kaleyra["pod"] as? String == "in")
            #expect(kaleyra["apiKey"] == nil)
            let klaros = try #require(accounts.first { $0["id"] as? String == "klaros" })
            #expect(klaros["successes"] as? Int == 1)

            let route = try await client.get("/v1/route?to=919812345678")
            let explanation = try #require(route.json["data"] as? [String: Any])
            #expect(explanation["route"] as? String == "india")
            #expect(explanation["wouldUse"] as? String == "klaros")
            #expect((explanation["candidates"] as? [[String: Any]])?.first?["skipCode"] as? String == "circuit_open")
            #expect(try await client.get("/v1/route").json.errorCode == "invalid_request")
            #expect(try await client.get("/v1/route?to=12").json.errorCode == "invalid_recipient")
            #expect(try await client.get("/v1/route?to=919812345678&kind=video").json.errorCode == "invalid_request")
        }
    }

    @Test func templatesAndNumbersAreAggregatedAndTaggedWithTheirAccount() async throws {
        try await GatewayHarness.withRouter { client, host, _ in
            let templates = try await client.get("/v1/templates")
            #expect(templates.json.entries.map { $0["name"] as? String } == SimulatedProviders.klarosTemplates)
            #expect(templates.json.entries.allSatisfy { $0["account"] as? String == "klaros" })
            let numbers = try await client.get("/v1/numbers")
            #expect(numbers.json.entries.first?["id"] as? String == "123456789012345")
            #expect(numbers.json.entries.first?["account"] as? String == "klaros")

            await host.faults.set(.refuse, for: "klaros.main")
            try await host.ports.waitUntil("klaros.main", listening: false)
            let degraded = try await client.get("/v1/templates")
            #expect(degraded.status == .ok)
            #expect((degraded.json["errors"] as? [[String: Any]])?.first?["account"] as? String == "klaros")
        }
    }

    /// Queue depth and lag are read from the store at scrape time (no worker runs here, so queued messages stay put).
    @Test func metricsShowTheQueue() async throws {
        try await GatewayHarness.withRouter { client, _, _ in
            let queued = try await client.send(#"{"to":"+919812345678,+919812345679","text":"later","mode":"queued"}"#)
            #expect(queued.status == .accepted)
            try await Task.sleep(for: .milliseconds(20))
            let metrics = try await client.execute(uri: "/metrics", method: .get) { String(buffer: $0.body) }
            let lines = metrics.split(separator: "\n")
            #expect(lines.contains { $0.hasPrefix("switchboard_queue_depth 2") }, "\(lines.filter { $0.contains("queue") })")
            let lag = lines.first { $0.hasPrefix("switchboard_queue_lag_seconds ") }.flatMap { Double($0.split(separator: " ")[1]) }
            #expect(lag.map { $0 > 0 && $0 < 5 } == true, "the messages were due when stored: \(String(describing: lag))")
        }
    }

    @Test func healthMetricsAndOpenAPIAreOpen() async throws {
        try await GatewayHarness.withRouter { client, _, _ in
            _ = try await client.send(#"{"to":"+919812345678","text":"hi"}"#)
            #expect(try await client.get("/healthz", headers: [:]).status == .ok)
            let metrics = try await client.execute(uri: "/metrics", method: .get) { String(buffer: $0.body) }
            #expect(metrics.contains(#"switchboard_attempts_total{account="kaleyra-in",provider="kaleyra",outcome="accepted"} 1"#))
            #expect(metrics.contains(#"switchboard_circuit_state{account="kaleyra-in"} 0"#))
            #expect(metrics.contains("switchboard_send_duration_seconds_count 1"))
            #expect(metrics.contains("switchboard_queue_depth 0"), "nothing queued yet")
            #expect(!metrics.contains("919812345678"), "metric labels never carry phone numbers")
            #expect(try await client.get("/openapi.json", headers: [:]).json["openapi"] as? String == "3.1.0")
            #expect(try await client.get("/nowhere").json.errorCode == "not_found")
        }
    }

    @Test func openAPIDescribesEveryRegisteredRouteAndNothingElse() async throws {
        try await GatewayHarness.simulators().withRunning { host in
            let configuration = try await GatewayHarness.configuration(host, policy: "{}")
            let dependencies = GatewayDependencies(
                configuration: configuration, store: try SQLiteMessageStore(database: .inMemory()),
                dispatcher: GatewayDependencies<SQLiteMessageStore>.dispatcher(for: configuration, client: GatewayHarness.client, logger: Logger(label: "test")),
                metrics: GatewayMetrics())
            let router = buildRouter(dependencies)
            let registered = Set(router.routes.map { route in
                let path = route.path.description.split(separator: "/").map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }.joined(separator: "/")
                return "\(route.method.rawValue.lowercased()) /\(path)"
            })
            let application = Application(router: router)
            let document = try await application.test(.router) { client in
                try await client.execute(uri: "/openapi.json", method: .get) { try GatewayHarness.json($0.body) }
            }
            let paths = try #require(document["paths"] as? [String: [String: Any]])
            let documented = Set(paths.flatMap { path, operations in operations.keys.map { "\($0) \(path)" } })
            #expect(registered == documented)
            // The served document is openapi.json, and its error codes are the gateway's closed set.
            let file = try String(contentsOfFile: GatewayHarness.repoRoot + "/openapi.json", encoding: .utf8)
            let served = try #require(try JSONSerialization.jsonObject(with: Data(file.utf8)) as? NSDictionary)
            #expect(served == document as NSDictionary, "run scripts/embed-catalogs after editing openapi.json")
            let schemas = (document["components"] as? [String: Any])?["schemas"] as? [String: Any]
            let error = ((schemas?["Error"] as? [String: Any])?["properties"] as? [String: Any])?["error"] as? [String: Any]
            let code = (error?["properties"] as? [String: Any])?["code"] as? [String: Any]
            #expect(Set(code?["enum"] as? [String] ?? []) == Set(APIError.Code.allCases.map(\.rawValue)))
            // The webhook URL shape is stated once for apps and once for the check; they must be the same text.
            let webhook = ((schemas?["WebhookRequest"] as? [String: Any])?["properties"] as? [String: Any])?["url"]
            #expect((webhook as? [String: Any])?["pattern"] as? String == WebhookURLPolicy.shape)
        }
    }
}
