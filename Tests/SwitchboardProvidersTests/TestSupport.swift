import AsyncHTTPClient
import Foundation
import SwitchboardCore
import SwitchboardProviders
import SwitchboardSimulators

enum TestSupport {
    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    static let catalogs: [String: ProviderCatalog] = try! CatalogLoader.load(directory: repoRoot + "/providers")
    static var kaleyraCatalog: ProviderCatalog { catalogs["kaleyra"]! }
    static var klarosCatalog: ProviderCatalog { catalogs["klaros"]! }
    static var cloudCatalog: ProviderCatalog { catalogs["cloud-api"]! }
    static let cloudLine = "109000000000001"

    /// A Cloud API simulator alone; windows closed unless `windowsOpen`.
    static func cloudSimulator(windowsOpen: Bool = true, webhookURL: String? = nil) -> SimulatorHost {
        SimulatorHost(setup: .init(cloudAPI: [.init(
            id: "main", accessToken: "EAAG-test", phoneNumberIds: [cloudLine], templates: ["order_update"],
            windowsOpen: windowsOpen, webhookURL: webhookURL, appSecret: "app-secret")]))
    }

    static func cloudAccount(
        _ host: SimulatorHost, token: String = "EAAG-test", settings: [String: JSONValue] = ["apiVersion": "v21.0"]
    ) async -> Account {
        Account(
            id: "cloud", provider: "cloud-api", apiKey: Secret(token), from: cloudLine,
            baseURL: await host.baseURL(CloudAPISimulator.endpoint(id: "main"))!, webhookSecret: Secret("app-secret"),
            settings: AccountSettings(settings))
    }

    static let client: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.timeout.connect = .milliseconds(300)
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }()

    static let kaleyraLine = "+919000000001"
    static let klarosLine = "123456789012345"

    static func simulators(klarosWindowsOpen: Bool = true, errorStyle: KaleyraSimulator.ErrorStyle? = nil) -> SimulatorHost {
        SimulatorHost(setup: .init(
            kaleyra: .init(
                pods: ["in": 0, "eu": 0],
                accounts: [
                    .init(sid: "HXIN001", apiKey: "kal-in-key", pod: "in", lines: [kaleyraLine]),
                    .init(sid: "HXEU001", apiKey: "kal-eu-key", pod: "eu", lines: ["+449000000001"]),
                ],
                errorStyle: errorStyle),
            klaros: [.init(id: "main", apiKey: "uni_live_test", numbers: [klarosLine, "223456789012345"], templates: ["order_update", "hello_world"], windowsOpen: klarosWindowsOpen)]
        ))
    }

    static func kaleyraAccount(_ host: SimulatorHost, pod: String = "in", apiKey: String = "kal-in-key", from: String? = kaleyraLine, useGET: Bool = false) async -> Account {
        Account(
            id: "kaleyra-\(pod)", provider: "kaleyra", pod: pod, region: pod, apiKey: Secret(apiKey), from: from,
            baseURL: await host.baseURL(KaleyraSimulator.endpoint(pod: pod))!,
            settings: AccountSettings(["sid": .string(pod == "in" ? "HXIN001" : "HXEU001"), "useGET": .bool(useGET)]))
    }

    static func klarosAccount(_ host: SimulatorHost, apiKey: String = "uni_live_test", from: String? = klarosLine) async -> Account {
        Account(id: "klaros", provider: "klaros", apiKey: Secret(apiKey), from: from, baseURL: await host.baseURL(KlarosSimulator.endpoint(id: "main"))!)
    }

    static func numbers(_ raw: String...) -> [PhoneNumber] { raw.map { try! PhoneNumber($0) } }
}
