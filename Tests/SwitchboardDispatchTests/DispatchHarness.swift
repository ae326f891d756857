import AsyncHTTPClient
import Foundation
import SwitchboardCore
import SwitchboardDispatch
import SwitchboardProviders
import SwitchboardSimulators

/// Simulators for one Kaleyra pod pair and one Klaros deployment, wired to the real adapters through a dispatcher.
struct DispatchHarness {
    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    static let catalogs = try! CatalogLoader.load(directory: repoRoot + "/providers")
    static let client: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.timeout.connect = .milliseconds(300)
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }()

    static let setup = SimulatorHost.Setup(
        kaleyra: .init(pods: ["in": 0, "eu": 0], accounts: [
            .init(sid: "HXIN001", apiKey: "kal-in-key", pod: "in", lines: ["+919000000001"]),
            .init(sid: "HXEU001", apiKey: "kal-eu-key", pod: "eu", lines: ["+449000000001"]),
        ]),
        klaros: [.init(id: "main", apiKey: "uni_live_test", numbers: ["123456789012345"], templates: [], windowsOpen: true)])

    /// gateway.json for the harness, with the simulators' ports filled in.
    static func config(_ host: SimulatorHost, policy: String) async -> String {
        let kaleyraIn = await host.baseURL("kaleyra.in")!
        let kaleyraEu = await host.baseURL("kaleyra.eu")!
        let klaros = await host.baseURL("klaros.main")!
        return """
        {"accounts": [
          {"id": "kaleyra-in", "provider": "kaleyra", "pod": "in", "sid": "HXIN001", "apiKey": "kal-in-key", "from": "+919000000001", "baseURL": "\(kaleyraIn)"},
          {"id": "kaleyra-eu", "provider": "kaleyra", "pod": "eu", "sid": "HXEU001", "apiKey": "kal-eu-key", "from": "+449000000001", "baseURL": "\(kaleyraEu)"},
          {"id": "klaros", "provider": "klaros", "apiKey": "uni_live_test", "from": "123456789012345", "baseURL": "\(klaros)", "region": "us"}],
         "routes": [
          {"name": "india", "match": {"countryCodes": ["91"]}, "targets": ["kaleyra-in", "klaros"]},
          {"name": "europe", "match": {"countryCodes": ["44"]}, "targets": ["kaleyra-eu", "klaros"], "failover": "same-region"},
          {"name": "default", "targets": ["klaros", "kaleyra-eu"]}],
         "policy": \(policy)}
        """
    }

    static func dispatcher(_ host: SimulatorHost, policy: String = #"{"backoff": {"baseMs": 5, "maxMs": 20}}"#) async throws -> Dispatcher {
        let json = await config(host, policy: policy)
        let table = try GatewayConfigLoader(file: "test", environment: [:], catalogs: catalogs, settingsSchemas: ProviderRegistry.settingsSchemas).load(Data(json.utf8)).get()
        let providers: [String: any Provider] = [
            "kaleyra": KaleyraProvider(catalog: catalogs["kaleyra"]!, client: client),
            "klaros": KlarosProvider(catalog: catalogs["klaros"]!, client: client),
        ]
        return Dispatcher(table: table, providers: providers, health: HealthBoard(policy: table.policy), clock: SystemClock(), seeds: { 1 })
    }

    static func numbers(_ raw: String...) -> [PhoneNumber] { raw.map { try! PhoneNumber($0) } }
}

extension Dispatcher.Result {
    var acceptedAccount: String? {
        if case .planned(.accepted(let account, _, _)) = outcome { return account.id }
        return nil
    }
}
