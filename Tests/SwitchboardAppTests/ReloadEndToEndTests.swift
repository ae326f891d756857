import Foundation
import SwitchboardSimulators
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `switchboard serve` reloading gateway.json on SIGHUP, driven by `switchboard reload`, as an operator would.
@Suite struct ReloadEndToEndTests {
    static func reload(config: String) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CrashRecoveryTests.binary)
        process.arguments = ["reload", "--config", config, "--providers", GatewayHarness.repoRoot + "/providers"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self))
    }

    static func accountIds(_ gateway: LiveGateway) async throws -> [String] {
        let data = try await gateway.request("GET", "/v1/accounts").json["data"] as? [[String: Any]] ?? []
        return data.compactMap { $0["id"] as? String }
    }

    @Test func aValidFileSwitchesRoutingAndAnInvalidOneChangesNothing() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: CrashRecoveryTests.binary), "build the CLI first (scripts/test does)")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("switchboard-reload-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try await GatewayHarness.simulators().withRunning { host in
            let port = try await WebhookReceiver.freePort()
            let config = directory + "/gateway.json"
            let pidFile = directory + "/switchboard.pid"
            let kaleyra = """
            {"id": "kaleyra-in", "provider": "kaleyra", "pod": "in", "sid": "HXIN001", "apiKey": "kal-in-key", "from": "+919000000001",
             "baseURL": "\(await host.baseURL("kaleyra.in")!)"}
            """
            let klaros = """
            {"id": "klaros", "provider": "klaros", "apiKey": "uni_live_test", "from": "123456789012345", "baseURL": "\(await host.baseURL("klaros.main")!)"}
            """
            func write(server extra: String = "", accounts: String, targets: String, policy: String = "{}") throws {
                try """
                {"server": {"host": "127.0.0.1", "port": \(port), "pidFile": "\(pidFile)"\(extra)}, "storage": {"sqlite": "\(directory)/gateway.sqlite"},
                 "apiKeys": ["\(GatewayHarness.apiKey)"], "accounts": [\(accounts)], "routes": [{"name": "all", "targets": \(targets)}],
                 "policy": \(policy)}
                """.write(toFile: config, atomically: true, encoding: .utf8)
            }
            try write(accounts: kaleyra, targets: #"["kaleyra-in"]"#)
            let log = directory + "/serve.log"
            let process = try CrashRecoveryTests.start(config: config, log: log, logLevel: "info")
            defer { if process.isRunning { process.terminate(); process.waitUntilExit() } }
            let gateway = LiveGateway(baseURL: "http://127.0.0.1:\(port)")
            try await CrashRecoveryTests.waitUntilHealthy(gateway)
            for _ in 0..<250 where !FileManager.default.fileExists(atPath: pidFile) { try await Task.sleep(for: .milliseconds(20)) }
            let pid = try String(contentsOfFile: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(pid == "\(process.processIdentifier)")
            #expect(try await Self.accountIds(gateway) == ["kaleyra-in"])

            // A second account first in the route, and a server change that needs a restart.
            try write(server: #", "idleTimeoutMs": 30000"#, accounts: kaleyra + "," + klaros, targets: #"["klaros", "kaleyra-in"]"#)
            let applied = try Self.reload(config: config)
            #expect(applied.status == 0, "\(applied.output)")
            var ids: [String] = []
            for _ in 0..<250 {
                ids = try await Self.accountIds(gateway)
                if ids.count == 2 { break }
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(Set(ids) == ["kaleyra-in", "klaros"])
            let sent = try await gateway.request("POST", "/v1/messages", body: #"{"to": "+919812345678", "text": "after reload"}"#)
            let first = (sent.json["data"] as? [[String: Any]])?.first
            #expect(first?["account"] as? String == "klaros", "new sends follow the reloaded route: \(sent.json)")

            // A typo and a bad target: `reload` refuses to signal, and a signal sent anyway changes nothing.
            try write(accounts: kaleyra, targets: #"["nobody"]"#, policy: #"{"sessionWindows": "enforce"}"#)
            let refused = try Self.reload(config: config)
            #expect(refused.status == 1)
            #expect(refused.output.contains("$.routes[0].targets[0]"), "\(refused.output)")
            #expect(refused.output.contains("$.policy.sessionWindows"), "\(refused.output)")
            kill(process.processIdentifier, SIGHUP)
            var text = ""
            for _ in 0..<250 {
                text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
                if text.contains("reload refused") { break }
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(text.contains("reload refused"), "\(text)")
            #expect(text.contains("$.policy.sessionWindows"), "every problem is logged with its path")
            #expect(text.contains("configuration reloaded"))
            #expect(text.contains("$.server"), "the server change is said to need a restart")
            #expect(Set(try await Self.accountIds(gateway)) == ["kaleyra-in", "klaros"], "still the last valid configuration")
            #expect(process.isRunning)

            process.terminate()
            process.waitUntilExit()
            #expect(!FileManager.default.fileExists(atPath: pidFile), "the pid file goes with the process")
        }
    }
}
