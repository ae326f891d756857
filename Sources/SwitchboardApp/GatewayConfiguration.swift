import Foundation
import SwitchboardCore
import SwitchboardProviders
import SwitchboardSimulators

/// Everything gateway.json says, decoded and validated once: the routing table, the provider catalogs it was
/// checked against, and the sections the server uses.
public struct GatewayConfiguration: Sendable {
    public var file: String
    public var table: RouteTable
    public var catalogs: [String: ProviderCatalog]
    public var simulators: SimulatorHost.Setup?
    public var server: ServerSettings
    public var storage: StorageSettings
    /// Bearer keys apps use on /v1. Empty means every /v1 request is refused.
    public var apiKeys: [Secret]
    public var webhooks: WebhookSettings

    /// Reads the file. Provider catalogs are the built-in ones, overridden by name by those in `providersDirectory`,
    /// or else in a `providers/` folder beside the file if there is one. Every problem is reported with file and path.
    public static func load(
        path: String, providersDirectory: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(ConfigLoadError) -> GatewayConfiguration {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigLoadError(problems: [ConfigProblem(file: path, path: "$", message: "cannot read the file")])
        }
        var isDirectory: ObjCBool = false
        let beside = ((path as NSString).deletingLastPathComponent as NSString).appendingPathComponent("providers")
        let overrides = providersDirectory
            ?? (FileManager.default.fileExists(atPath: beside, isDirectory: &isDirectory) && isDirectory.boolValue ? beside : nil)
        let catalogs = try CatalogLoader.load(overriding: overrides)
        return try parse(data, file: path, catalogs: catalogs, environment: environment)
    }

    public static func parse(
        _ data: Data, file: String, catalogs: [String: ProviderCatalog], environment: [String: String]
    ) throws(ConfigLoadError) -> GatewayConfiguration {
        // Every problem in the file at once, whichever section it is in.
        var problems: [ConfigProblem] = []
        let loader = GatewayConfigLoader(
            file: file, environment: environment, catalogs: catalogs, settingsSchemas: ProviderRegistry.settingsSchemas)
        var table: RouteTable?
        switch loader.load(data) {
        case .success(let loaded): table = loaded
        case .failure(let error): problems += error.problems
        }
        if let root = try? JSONSerialization.jsonObject(with: data) {
            problems += schema.unknownKeys(in: root).map { ConfigProblem(file: file, path: $0, message: "unknown key") }
            problems += Self.accountsWithoutAdapter(root, catalogs: catalogs, file: file)
        }
        var sections: Sections?
        if case .success(let expanded) = loader.expand(data) {
            do {
                sections = try JSONDecoder().decode(Sections.self, from: expanded)
            } catch let error as DecodingError {
                let (path, message) = JSONPath.describe(error)
                problems.append(ConfigProblem(file: file, path: path, message: message))
            } catch {
                problems.append(ConfigProblem(file: file, path: "$", message: "\(error)"))
            }
        }
        let server = sections?.server ?? ServerSettings()
        if !(1...65535).contains(server.port) && server.port != 0 {
            problems.append(ConfigProblem(file: file, path: "$.server.port", message: "must be a port number"))
        }
        if let url = server.publicURL, !(url.hasPrefix("http://") || url.hasPrefix("https://")) {
            problems.append(ConfigProblem(file: file, path: "$.server.publicURL", message: "must be an http(s) URL"))
        }
        for (path, message) in server.problems() { problems.append(ConfigProblem(file: file, path: path, message: message)) }
        let keys = sections?.apiKeys ?? []
        for (index, key) in keys.enumerated() where key.count < 8 {
            problems.append(ConfigProblem(file: file, path: "$.apiKeys[\(index)]", message: "must be at least 8 characters"))
        }
        guard problems.isEmpty, let table, let sections else { throw ConfigLoadError(problems: Self.unique(problems)) }
        return GatewayConfiguration(
            file: file, table: table, catalogs: catalogs, simulators: sections.simulators, server: server,
            storage: sections.storage ?? StorageSettings(), apiKeys: keys.map(Secret.init), webhooks: sections.webhooks ?? WebhookSettings())
    }

    /// Accounts on a provider that has a catalog but no adapter: every send to them would fail.
    private static func accountsWithoutAdapter(_ root: Any, catalogs: [String: ProviderCatalog], file: String) -> [ConfigProblem] {
        let accounts = (root as? [String: Any])?["accounts"] as? [Any] ?? []
        return accounts.enumerated().compactMap { index, entry in
            guard let provider = (entry as? [String: Any])?["provider"] as? String, catalogs[provider] != nil,
                  ProviderRegistry.adapters[provider] == nil else { return nil }
            return ConfigProblem(file: file, path: "$.accounts[\(index)].provider", message:
                "provider \"\(provider)\" has a catalog but no adapter; adapters: \(ProviderRegistry.adapters.keys.sorted().joined(separator: ", "))")
        }
    }

    /// Each problem once, in file order of paths (a decoding error and a schema check can name the same key).
    private static func unique(_ problems: [ConfigProblem]) -> [ConfigProblem] {
        var seen: Set<String> = []
        return problems.filter { seen.insert($0.path + "\u{1F}" + $0.message).inserted }
    }

    /// Every key gateway.json may use.
    static let schema = ConfigSchema.object(ConfigSchema.routingSections.merging([
        "server": .object(Dictionary(uniqueKeysWithValues: [
            "host", "port", "publicURL", "headerTimeoutMs", "idleTimeoutMs", "maxConnections", "pidFile",
        ].map { ($0, ConfigSchema.value) })),
        "storage": .object(["sqlite": .value, "postgres": .value, "leaseSeconds": .value]),
        "apiKeys": .value,
        "webhooks": .object(["allowPrivateNetworks": .value]),
        "simulators": SimulatorHost.Setup.schema,
    ]) { a, _ in a })

    private struct Sections: Decodable {
        var simulators: SimulatorHost.Setup?
        var server: ServerSettings?
        var storage: StorageSettings?
        var apiKeys: [String]?
        var webhooks: WebhookSettings?
    }

    /// Where providers reach the gateway: `server.publicURL`, else the listening address.
    public var publicURL: String {
        let url = server.publicURL ?? "http://\(server.host):\(server.port)"
        return url.hasSuffix("/") ? String(url.dropLast()) : url
    }
}
