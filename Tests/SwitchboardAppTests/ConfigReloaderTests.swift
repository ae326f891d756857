import Foundation
import Logging
@testable import SwitchboardApp
import SwitchboardCore
import SwitchboardDispatch
import SwitchboardStore
import Testing

/// What a reload keeps and what it replaces, without a process or a signal.
@Suite struct ConfigReloaderTests {
    static func file(port: Int = 8080, inLine: String = "+919000000001", euLine: String = "+449000000001", routes: String) -> String {
        """
        {"server": {"port": \(port)}, "apiKeys": ["\(GatewayHarness.apiKey)"],
         "accounts": [
          {"id": "kaleyra-in", "provider": "kaleyra", "pod": "in", "sid": "HXIN001", "apiKey": "k", "from": "\(inLine)", "baseURL": "http://127.0.0.1:9"},
          {"id": "kaleyra-eu", "provider": "kaleyra", "pod": "eu", "sid": "HXEU001", "apiKey": "k", "from": "\(euLine)", "baseURL": "http://127.0.0.1:9"}],
         "routes": \(routes), "policy": {"circuitBreaker": {"failureThreshold": 1, "cooldownMs": 60000}}}
        """
    }

    @Test func circuitsCarryOverOnlyForAccountsWhoseProviderPodAndLineAreUnchanged() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("reload-\(UUID().uuidString).json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Self.file(routes: #"[{"name": "all", "targets": ["kaleyra-in", "kaleyra-eu"]}]"#).write(toFile: path, atomically: true, encoding: .utf8)
        let configuration = try GatewayConfiguration.load(path: path, environment: [:])
        let routing = LiveDispatcher(GatewayDependencies<SQLiteMessageStore>.dispatcher(
            for: configuration, client: GatewayHarness.client, logger: Logger(label: "test")))
        let reloader = ConfigReloader(configuration: configuration, routing: routing, logger: Logger(label: "test"), environment: { [:] })
        let health = routing.current.health
        let now = routing.current.clock.now()
        let outage = RecipientResult.Outcome.failed(ProviderFailure(.unavailable, message: "down"))
        for account in ["kaleyra-in", "kaleyra-eu"] { await health.record(account, outcome: outage, now: now, wasRetry: false) }
        let before = routing.current

        // The EU account moves to another line; the IN one is untouched; the port changes.
        try Self.file(port: 9090, euLine: "+449000000002", routes: #"[{"name": "eu-first", "targets": ["kaleyra-eu", "kaleyra-in"]}]"#)
            .write(toFile: path, atomically: true, encoding: .utf8)
        let outcome = await reloader.reload()
        #expect(outcome == .applied(carried: ["kaleyra-in"], needRestart: [.server]))
        #expect(routing.current.table.routes.map(\.name) == ["eu-first"])
        #expect(before.table.routes.map(\.name) == ["all"], "a send that took the old dispatcher keeps its routes")
        let snapshot = await health.snapshot()
        #expect(snapshot["kaleyra-in"]?.breaker.phase(at: now) == .open, "carried over")
        #expect(snapshot["kaleyra-eu"] == nil, "a changed line starts with a closed circuit")

        // Invalid: a typo'd key and a route to nobody. Both reported; nothing changes.
        try #"{"accounts": [], "routes": [{"name": "x", "targets": ["nobody"]}], "polcy": {}}"#.write(toFile: path, atomically: true, encoding: .utf8)
        guard case .rejected(let problems) = await reloader.reload() else {
            Issue.record("an invalid file was applied")
            return
        }
        #expect(problems.map(\.path).contains("$.polcy"), "\(problems)")
        #expect(problems.map(\.path).contains("$.routes[0].targets[0]"), "\(problems)")
        #expect(routing.current.table.routes.map(\.name) == ["eu-first"])
        #expect(await health.snapshot()["kaleyra-in"]?.breaker.phase(at: now) == .open)
    }
}
