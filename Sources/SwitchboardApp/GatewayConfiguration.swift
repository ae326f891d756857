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

    /// Reads the file and `providers/` (by default beside it). Every problem is reported with file and JSON path.
    public static func load(
        path: String, providersDirectory: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(ConfigLoadError) -> GatewayConfiguration {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigLoadError(problems: [ConfigProblem(file: path, path: "$", message: "cannot read the file")])
        }
        let directory = providersDirectory ?? (((path as NSString).deletingLastPathComponent as NSString).appendingPathComponent("providers"))
        let catalogs = try CatalogLoader.load(directory: directory.isEmpty ? "providers" : directory)
        return try parse(data, file: path, catalogs: catalogs, environment: environment)
    }

    public static func parse(
        _ data: Data, file: String, catalogs: [String: ProviderCatalog], environment: [String: String]
    ) throws(ConfigLoadError) -> GatewayConfiguration {
        let loader = GatewayConfigLoader(file: file, environment: environment, catalogs: catalogs)
        let table = try loader.load(data).get()
        let expanded = try loader.expand(data).get()
        let sections: Sections
        do {
            sections = try JSONDecoder().decode(Sections.self, from: expanded)
        } catch let error as DecodingError {
            let (path, message) = JSONPath.describe(error)
            throw ConfigLoadError(problems: [ConfigProblem(file: file, path: path, message: message)])
        } catch {
            throw ConfigLoadError(problems: [ConfigProblem(file: file, path: "$", message: "\(error)")])
        }
        var problems: [ConfigProblem] = []
        let server = sections.server ?? ServerSettings()
        if !(1...65535).contains(server.port) && server.port != 0 {
            problems.append(ConfigProblem(file: file, path: "$.server.port", message: "must be a port number"))
        }
        if let url = server.publicURL, !(url.hasPrefix("http://") || url.hasPrefix("https://")) {
            problems.append(ConfigProblem(file: file, path: "$.server.publicURL", message: "must be an http(s) URL"))
        }
        for (path, message) in server.problems() { problems.append(ConfigProblem(file: file, path: path, message: message)) }
        let keys = sections.apiKeys ?? []
        for (index, key) in keys.enumerated() where key.count < 8 {
            problems.append(ConfigProblem(file: file, path: "$.apiKeys[\(index)]", message: "must be at least 8 characters"))
        }
        guard problems.isEmpty else { throw ConfigLoadError(problems: problems) }
        return GatewayConfiguration(
            file: file, table: table, catalogs: catalogs, simulators: sections.simulators, server: server,
            storage: sections.storage ?? StorageSettings(), apiKeys: keys.map(Secret.init), webhooks: sections.webhooks ?? WebhookSettings())
    }

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
