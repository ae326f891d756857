import AsyncHTTPClient
import Foundation
import NIOCore
import SwitchboardSimulators
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The gateway as a real process, killed with SIGKILL during a queued burst and restarted: every message it answered
/// 202 for reaches the provider exactly once, or is listed as unknown. Nothing is lost, nothing is sent twice silently.
@Suite struct CrashRecoveryTests {
    static var binary: String { GatewayHarness.repoRoot + "/.build/debug/switchboard" }

    @Test func aQueuedBurstSurvivesKillDashNine() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary), "build the CLI first (scripts/test does): \(Self.binary)")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("switchboard-crash-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let port = try await WebhookReceiver.freePort()
        let total = 240

        try await GatewayHarness.simulators().withRunning { host in
            try await Self.burstKillRestart(host: host, port: port, directory: directory, total: total)
        }
    }

    static func burstKillRestart(host: SimulatorHost, port: Int, directory: String, total: Int) async throws {
            let config = """
            {"server": {"host": "127.0.0.1", "port": \(port)}, "storage": {"sqlite": "\(directory)/gateway.sqlite"}, "apiKeys": ["\(GatewayHarness.apiKey)"],
             "accounts": [{"id": "kaleyra-in", "provider": "kaleyra", "pod": "in", "sid": "HXIN001", "apiKey": "kal-in-key", "from": "+919000000001",
                           "baseURL": "\(await host.baseURL("kaleyra.in")!)", "ratePerSecond": 20}],
             "routes": [{"name": "all", "targets": ["kaleyra-in"]}]}
            """
            try config.write(toFile: directory + "/gateway.json", atomically: true, encoding: .utf8)
            let gateway = LiveGateway(baseURL: "http://127.0.0.1:\(port)")

            let first = try Self.start(config: directory + "/gateway.json", log: directory + "/first.log")
            try await Self.waitUntilHealthy(gateway)
            var accepted: [String: String] = [:]
            for index in 0..<total {
                let number = "+91981\(String(format: "%07d", index))"
                let answer = try await gateway.request("POST", "/v1/messages", body: #"{"to":"\#(number)","text":"burst \#(index)","mode":"queued"}"#)
                #expect(answer.status == 202)
                if let id = (answer.json["data"] as? [[String: Any]])?.first?["id"] as? String { accepted[id] = String(number.dropFirst()) }
            }
            // Mid-burst: some have gone out, most have not.
            while await host.requests.all().count < 20 { try await Task.sleep(for: .milliseconds(10)) }
            kill(first.processIdentifier, SIGKILL)
            first.waitUntilExit()
            let sentBeforeKill = await host.requests.all().count
            #expect(sentBeforeKill < total, "the kill came during the burst")

            let second = try Self.start(config: directory + "/gateway.json", log: directory + "/second.log")
            let secondPid = second.processIdentifier
            try await Self.waitUntilHealthy(gateway)
            for _ in 0..<600 {
                let queued = try await gateway.request("GET", "/v1/messages?status=queued&limit=1").json["data"] as? [Any] ?? []
                let sending = try await gateway.request("GET", "/v1/messages?status=sending&limit=1").json["data"] as? [Any] ?? []
                if queued.isEmpty && sending.isEmpty { break }
                try await Task.sleep(for: .milliseconds(50))
            }

            var timesSent: [String: Int] = [:]
            for request in await host.requests.all() {
                for recipient in (request.formFields["to"] ?? "").split(separator: ",") { timesSent[String(recipient.dropFirst()), default: 0] += 1 }
            }
            let unknown = Set((try await gateway.request("GET", "/v1/messages?status=unknown&limit=200").json["data"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String })
            #expect(accepted.count == total)
            var delivered = 0
            for (id, number) in accepted {
                let status = ((try await gateway.request("GET", "/v1/messages/\(id)").json["data"] as? [String: Any])?["status"] as? String) ?? "missing"
                if unknown.contains(id) {
                    #expect(status == "unknown")
                    #expect((timesSent[number] ?? 0) <= 1, "\(id) is unknown and was sent at most once")
                } else {
                    #expect(timesSent[number] == 1, "\(id) (\(status)) reached the provider exactly once, not \(timesSent[number] ?? 0)")
                    #expect(["accepted", "sent", "delivered", "read"].contains(status), "\(id) is \(status)")
                    delivered += 1
                }
            }
            #expect(delivered + unknown.count == total)
            #expect(delivered > sentBeforeKill, "the restarted gateway finished the burst")
            kill(secondPid, SIGTERM)
            second.waitUntilExit()
    }

    /// `withRepositoryCatalogs: false` leaves the catalogs to the binary (no `--providers`).
    static func start(
        config: String, log: String, logLevel: String = "warning", withRepositoryCatalogs: Bool = true
    ) throws -> Process {
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        let providers = withRepositoryCatalogs ? ["--providers", GatewayHarness.repoRoot + "/providers"] : []
        process.arguments = ["serve", "--config", config] + providers + ["--log-level", logLevel]
        process.standardOutput = FileHandle(forWritingAtPath: log)
        process.standardError = FileHandle(forWritingAtPath: log)
        try process.run()
        return process
    }

    static func waitUntilHealthy(_ gateway: LiveGateway) async throws {
        for _ in 0..<300 {
            if (try? await gateway.request("GET", "/healthz", headers: [:]))?.status == 200 { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        Issue.record("the gateway did not become healthy")
    }
}
