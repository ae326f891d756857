import AsyncHTTPClient
import SwitchboardCore
import SwitchboardProviders
import SwitchboardSimulators
import SwitchboardTestSupport

/// The adapters' view of the shared simulated estate: accounts as the adapters receive them, plus a Cloud API host.
enum TestSupport {
    static var repoRoot: String { SimulatedProviders.repoRoot }
    static var kaleyraCatalog: ProviderCatalog { SimulatedProviders.catalogs["kaleyra"]! }
    static var klarosCatalog: ProviderCatalog { SimulatedProviders.catalogs["klaros"]! }
    static var cloudCatalog: ProviderCatalog { SimulatedProviders.catalogs["cloud-api"]! }
    static var client: HTTPClient { SimulatedProviders.client }
    static var timeout: Duration { SimulatedProviders.callTimeout }
    static let kaleyraLine = SimulatedProviders.kaleyraInLine
    static let klarosLine = SimulatedProviders.klarosLine
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

    static func simulators(klarosWindowsOpen: Bool = true, errorStyle: KaleyraSimulator.ErrorStyle? = nil) -> SimulatorHost {
        SimulatedProviders.host(klarosWindowsOpen: klarosWindowsOpen, kaleyraErrorStyle: errorStyle)
    }

    static func kaleyraAccount(
        _ host: SimulatorHost, pod: String = "in", apiKey: String = SimulatedProviders.kaleyraKeys.in,
        from: String? = kaleyraLine, useGET: Bool = false
    ) async -> Account {
        let sid = pod == "in" ? SimulatedProviders.kaleyraSids.in : SimulatedProviders.kaleyraSids.eu
        return Account(
            id: "kaleyra-\(pod)", provider: "kaleyra", pod: pod, region: pod, apiKey: Secret(apiKey), from: from,
            baseURL: await host.baseURL(KaleyraSimulator.endpoint(pod: pod))!,
            settings: AccountSettings(["sid": .string(sid), "useGET": .bool(useGET)]))
    }

    static func klarosAccount(
        _ host: SimulatorHost, apiKey: String = SimulatedProviders.klarosKey, from: String? = klarosLine
    ) async -> Account {
        Account(
            id: "klaros", provider: "klaros", apiKey: Secret(apiKey), from: from,
            baseURL: await host.baseURL(KlarosSimulator.endpoint(id: "main"))!)
    }

    static func numbers(_ raw: String...) -> [PhoneNumber] { raw.map { try! PhoneNumber($0) } }
}
