import Foundation
import SwitchboardApp
import SwitchboardCore
import SwitchboardProviders
import Testing

/// The repo's gateway.json is the offline default: it must load with no environment at all.
@Suite struct RepositoryConfigTests {
    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    @Test func offlineDefaultLoadsWithoutAnyEnvironment() throws {
        let loaded = try GatewayConfiguration.load(path: Self.repoRoot + "/gateway.json", environment: [:])
        #expect(Set(loaded.table.accounts.map(\.id)) == ["kaleyra-in", "kaleyra-sg", "kaleyra-eu", "kaleyra-na", "klaros", "cloud-api"])
        #expect(loaded.table.accounts.allSatisfy { $0.baseURL.hasPrefix("http://127.0.0.1:") })
        #expect(loaded.simulators?.kaleyra?.pods.count == 4)
        #expect(loaded.simulators?.cloudAPI.map(\.id) == ["main"])
        // The catalog's default API version reaches the account's settings.
        #expect(loaded.table.account("cloud-api")?.settings.string("apiVersion") == "v21.0")
    }

    @Test(arguments: [("+919812345678", "india", "kaleyra-in"), ("+12025550123", "north-america", "kaleyra-na"), ("+447700900123", "europe", "kaleyra-eu"), ("+6591234567", "southeast-asia", "kaleyra-sg")])
    func offlineDefaultRoutesByRegion(to: String, route: String, account: String) throws {
        let loaded = try GatewayConfiguration.load(path: Self.repoRoot + "/gateway.json", environment: [:])
        let explanation = RoutePlanner(table: loaded.table).explain(to: try PhoneNumber(to), kind: .text, draw: 0, health: [String: AccountHealth](), now: Instant(milliseconds: 0))
        #expect(explanation.route == route)
        #expect(explanation.wouldUse == account)
        #expect(explanation.candidates.map(\.account).contains("klaros"), "every region fails over to Klaros")
    }

    @Test func environmentOverridesGoLive() throws {
        let loaded = try GatewayConfiguration.load(path: Self.repoRoot + "/gateway.json", environment: ["KALEYRA_IN_URL": "https://api.in.kaleyra.io", "KALEYRA_IN_KEY": "live-key"])
        let account = try #require(loaded.table.account("kaleyra-in"))
        #expect(account.baseURL == "https://api.in.kaleyra.io")
        #expect(account.apiKey.value == "live-key")
    }

    @Test func connectionLimitsHaveDefaultsAndAreValidatedWithPaths() throws {
        let loaded = try GatewayConfiguration.load(path: Self.repoRoot + "/gateway.json", environment: [:])
        #expect(loaded.server.headerTimeoutMs == 10_000)
        #expect(loaded.server.idleTimeoutMs == 75_000)
        #expect(loaded.server.effectiveMaxConnections == 4096)
        let text = try String(contentsOfFile: Self.repoRoot + "/gateway.json", encoding: .utf8)
            .replacingOccurrences(of: #""headerTimeoutMs": 10000"#, with: #""headerTimeoutMs": 0"#)
            .replacingOccurrences(of: #""maxConnections": 4096"#, with: #""maxConnections": -1"#)
        let catalogs = try CatalogLoader.load(directory: Self.repoRoot + "/providers")
        #expect {
            try GatewayConfiguration.parse(Data(text.utf8), file: "gateway.json", catalogs: catalogs, environment: [:])
        } throws: { error in
            let paths = (error as? ConfigLoadError)?.problems.map(\.path) ?? []
            return paths == ["$.server.headerTimeoutMs", "$.server.maxConnections"]
        }
    }

    /// `serve --config /some/other/dir/gateway.json` used to fail with "cannot read the provider catalog directory".
    @Test func aConfigInAFolderWithoutProvidersLoadsWithTheBuiltInCatalogs() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("switchboard-etc-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.copyItem(atPath: Self.repoRoot + "/gateway.json", toPath: directory + "/gateway.json")
        let loaded = try GatewayConfiguration.load(path: directory + "/gateway.json", environment: [:])
        #expect(loaded.catalogs.keys.sorted() == ["cloud-api", "kaleyra", "klaros"])
        #expect(loaded.table.accounts.count == 6)
    }
}
