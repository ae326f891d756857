import AsyncHTTPClient
import Foundation
import SwitchboardCore
import SwitchboardProviders
import SwitchboardSimulators

/// The one simulated estate the socket tests share: two Kaleyra pods (IN, EU) and one Klaros deployment, their
/// credentials and lines, the repository's catalogs, and one outbound client. Harnesses build on this instead of
/// keeping their own copies.
public enum SimulatedProviders {
    public static let repoRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    public static let catalogs: [String: ProviderCatalog] = try! CatalogLoader.load(directory: repoRoot + "/providers")

    public static let kaleyraInLine = "+919000000001"
    public static let kaleyraEuLine = "+449000000001"
    public static let klarosLine = "123456789012345"
    public static let klarosSecondLine = "223456789012345"
    public static let klarosKey = "uni_live_test"
    public static let kaleyraKeys = (in: "kal-in-key", eu: "kal-eu-key")
    public static let kaleyraSids = (in: "HXIN001", eu: "HXEU001")
    public static let klarosTemplates = ["order_update", "hello_world"]

    /// How long a provider call may take in a test that is not about timeouts: long enough that a 2-core machine
    /// running every suite at once never turns a slow answer into `ambiguous`.
    public static let callTimeout: Duration = .seconds(20)

    /// One client for every suite. A refused connect is retried until this timeout, so it bounds the tests of refused
    /// pods; 300 ms turned loopback connects into failures when every suite (and PostgreSQL) ran at once on 2 cores.
    public static let client: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.timeout.connect = .seconds(2)
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }()

    /// The simulators for the estate. `kaleyra.in`, `kaleyra.eu` and `klaros.main` are the endpoints.
    public static func setup(
        klarosWindowsOpen: Bool = true, kaleyraErrorStyle: KaleyraSimulator.ErrorStyle? = nil
    ) -> SimulatorHost.Setup {
        SimulatorHost.Setup(
            kaleyra: .init(
                pods: ["in": 0, "eu": 0],
                accounts: [
                    .init(sid: kaleyraSids.in, apiKey: kaleyraKeys.in, pod: "in", lines: [kaleyraInLine]),
                    .init(sid: kaleyraSids.eu, apiKey: kaleyraKeys.eu, pod: "eu", lines: [kaleyraEuLine]),
                ],
                errorStyle: kaleyraErrorStyle),
            klaros: [.init(
                id: "main", apiKey: klarosKey, numbers: [klarosLine, klarosSecondLine], templates: klarosTemplates,
                windowsOpen: klarosWindowsOpen)])
    }

    public static func host(
        klarosWindowsOpen: Bool = true, kaleyraErrorStyle: KaleyraSimulator.ErrorStyle? = nil
    ) -> SimulatorHost {
        SimulatorHost(setup: setup(klarosWindowsOpen: klarosWindowsOpen, kaleyraErrorStyle: kaleyraErrorStyle))
    }

    /// gateway.json's three accounts on the running simulators (`kaleyra-in`, `kaleyra-eu`, `klaros`), each object
    /// extended with `extra[id]`'s members (for inbound secrets and tokens).
    public static func accountsJSON(_ host: SimulatorHost, extra: [String: String] = [:]) async -> String {
        let kaleyraIn = await host.baseURL("kaleyra.in")!
        let kaleyraEu = await host.baseURL("kaleyra.eu")!
        let klaros = await host.baseURL("klaros.main")!
        func more(_ id: String) -> String { extra[id].map { ", " + $0 } ?? "" }
        return """
        [
          {"id": "kaleyra-in", "provider": "kaleyra", "pod": "in", "sid": "\(kaleyraSids.in)", \
        "apiKey": "\(kaleyraKeys.in)", "from": "\(kaleyraInLine)", "baseURL": "\(kaleyraIn)"\(more("kaleyra-in"))},
          {"id": "kaleyra-eu", "provider": "kaleyra", "pod": "eu", "sid": "\(kaleyraSids.eu)", \
        "apiKey": "\(kaleyraKeys.eu)", "from": "\(kaleyraEuLine)", "baseURL": "\(kaleyraEu)"\(more("kaleyra-eu"))},
          {"id": "klaros", "provider": "klaros", "apiKey": "\(klarosKey)", "from": "\(klarosLine)", \
        "baseURL": "\(klaros)", "region": "us"\(more("klaros"))}]
        """
    }

    public static func numbers(_ raw: String...) -> [PhoneNumber] { raw.map { try! PhoneNumber($0) } }
}
