import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
@testable import SwitchboardApp
import SwitchboardCore
import SwitchboardProviders
import SwitchboardSimulators
import SwitchboardStore
import SwitchboardTestSupport

/// A gateway router wired to real adapters and the simulators over loopback, with a store of the test's choosing.
enum GatewayHarness {
    static var repoRoot: String { SimulatedProviders.repoRoot }
    static var catalogs: [String: ProviderCatalog] { SimulatedProviders.catalogs }
    static var client: HTTPClient { SimulatedProviders.client }
    static let apiKey = "test-key-0123456789"
    static let auth: HTTPFields = [.authorization: "Bearer \(apiKey)", .contentType: "application/json"]

    static func simulators(klarosWindowsOpen: Bool = true) -> SimulatorHost {
        SimulatedProviders.host(klarosWindowsOpen: klarosWindowsOpen)
    }

    static let klarosSecret = "klaros-hook-secret"
    static let kaleyraToken = "kal-token-123"

    static func configuration(_ host: SimulatorHost, policy: String, storage: String = ":memory:", port: Int = 0, allowPrivateWebhooks: Bool = true) async throws -> GatewayConfiguration {
        let accounts = await SimulatedProviders.accountsJSON(host, extra: [
            "kaleyra-in": #""inboundToken": "\#(kaleyraToken)""#, "klaros": #""webhookSecret": "\#(klarosSecret)""#,
        ])
        let json = """
        {"server": {"host": "127.0.0.1", "port": \(port)}, "storage": {"sqlite": "\(storage)"}, "apiKeys": ["\(apiKey)", "second-key-abcdef"],
         "webhooks": {"allowPrivateNetworks": \(allowPrivateWebhooks)},
         "accounts": \(accounts),
         "routes": [
          {"name": "india", "match": {"countryCodes": ["91"]}, "targets": ["kaleyra-in", "klaros"]},
          {"name": "europe", "match": {"countryCodes": ["44"]}, "targets": ["kaleyra-eu"]},
          {"name": "north-america", "match": {"countryCodes": ["1"]}, "targets": ["klaros", "kaleyra-eu"]}],
         "policy": \(policy)}
        """
        return try GatewayConfiguration.parse(Data(json.utf8), file: "test-gateway.json", catalogs: catalogs, environment: [:])
    }

    /// Short backoff; an attempt timeout with room for the scheduling stalls of ~30 suites running at once on 2 cores.
    static let fastPolicy = #"{"attemptTimeoutMs": 2000, "deadlineMs": 6000, "backoff": {"baseMs": 2, "maxMs": 10}}"#

    /// Runs `body` against a router-level test client.
    static func withRouter(
        policy: String = fastPolicy, klarosWindowsOpen: Bool = true, store: SQLiteMessageStore? = nil, allowPrivateWebhooks: Bool = true,
        doorbell: QueueDoorbell = QueueDoorbell(), wallClock: WallClock = .system,
        storeHealth: StoreHealth = StoreHealth(), pendingOutcomes: PendingOutcomes = PendingOutcomes(),
        _ body: @escaping @Sendable (any TestClientProtocol, SimulatorHost, SQLiteMessageStore) async throws -> Void
    ) async throws {
        try await simulators(klarosWindowsOpen: klarosWindowsOpen).withRunning { host in
            let configuration = try await configuration(host, policy: policy, allowPrivateWebhooks: allowPrivateWebhooks)
            let store = try store ?? SQLiteMessageStore(database: .inMemory())
            var dependencies = GatewayDependencies(
                configuration: configuration, store: store,
                dispatcher: GatewayDependencies<SQLiteMessageStore>.dispatcher(for: configuration, client: client, logger: Logger(label: "test")),
                metrics: GatewayMetrics(), doorbell: doorbell, wallClock: wallClock)
            dependencies.storeHealth = storeHealth
            dependencies.pendingOutcomes = pendingOutcomes
            let app = Application(router: buildRouter(dependencies))
            try await app.test(.router) { client in try await body(client, host, store) }
        }
    }

    static func json(_ buffer: ByteBuffer) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(buffer: buffer)) as? [String: Any] ?? [:]
    }
}

extension TestClientProtocol {
    func send(_ body: String, headers: HTTPFields = GatewayHarness.auth) async throws -> (status: HTTPResponse.Status, json: [String: Any]) {
        try await execute(uri: "/v1/messages", method: .post, headers: headers, body: ByteBuffer(string: body)) { response in
            (response.status, (try? GatewayHarness.json(response.body)) ?? [:])
        }
    }

    /// POST /v1/messages with its answer decoded: the messages on a 2xx, the error otherwise.
    func sendMessages(_ body: String, headers: HTTPFields = GatewayHarness.auth) async throws -> (
        status: HTTPResponse.Status, messages: [Answers.Message], error: Answers.ErrorBody?
    ) {
        try await execute(uri: "/v1/messages", method: .post, headers: headers, body: ByteBuffer(string: body)) { response in
            let bytes = Array(buffer: response.body)
            guard (200..<300).contains(response.status.code) else {
                return (response.status, [], try Answers.decode(Answers.Failure.self, from: bytes).error)
            }
            return (response.status, try Answers.decode(Answers.List<Answers.Message>.self, from: bytes).data, nil)
        }
    }

    func get(_ uri: String, headers: HTTPFields = GatewayHarness.auth) async throws -> (status: HTTPResponse.Status, json: [String: Any]) {
        try await execute(uri: uri, method: .get, headers: headers) { response in
            (response.status, (try? GatewayHarness.json(response.body)) ?? [:])
        }
    }
}

extension Dictionary where Key == String, Value == Any {
    var error: [String: Any] { self["error"] as? [String: Any] ?? [:] }
    var errorCode: String? { error["code"] as? String }
    var entries: [[String: Any]] { self["data"] as? [[String: Any]] ?? [] }
}
