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
        return GatewayConfiguration(file: file, table: table, catalogs: catalogs, simulators: sections.simulators)
    }

    private struct Sections: Decodable {
        var simulators: SimulatorHost.Setup?
    }
}
