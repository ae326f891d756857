import Foundation
import SwitchboardCore

/// Reads `providers/*.json`. A malformed catalog is reported with its file and JSON path.
public enum CatalogLoader {
    /// The catalogs built into the binary: each registered adapter's copy of the repository's providers/<name>.json.
    public static func builtIn() throws(ConfigLoadError) -> [String: ProviderCatalog] {
        var catalogs: [String: ProviderCatalog] = [:]
        var problems: [ConfigProblem] = []
        for (name, entry) in ProviderRegistry.adapters.sorted(by: { $0.key < $1.key }) {
            let text = entry.catalog
            let file = "(built in) providers/\(name).json"
            switch decode(Data(text.utf8), file: file) {
            case .success(let catalog):
                problems += catalog.problems(file: file)
                catalogs[catalog.name] = catalog
            case .failure(let problem): problems.append(problem)
            }
        }
        guard problems.isEmpty else { throw ConfigLoadError(problems: problems) }
        return catalogs
    }

    /// The built-in catalogs, with those in `directory` (if given) taking their place by name and adding to them.
    public static func load(overriding directory: String?) throws(ConfigLoadError) -> [String: ProviderCatalog] {
        let builtIn = try builtIn()
        guard let directory else { return builtIn }
        return builtIn.merging(try load(directory: directory)) { _, fromDirectory in fromDirectory }
    }

    public static func load(directory: String) throws(ConfigLoadError) -> [String: ProviderCatalog] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".json") }.sorted()
        } catch {
            throw ConfigLoadError(problems: [ConfigProblem(file: directory, path: "$", message: "cannot read the provider catalog directory")])
        }
        var catalogs: [String: ProviderCatalog] = [:]
        var problems: [ConfigProblem] = []
        for name in names {
            let file = (directory as NSString).appendingPathComponent(name)
            switch decode(file: file) {
            case .success(let catalog):
                problems += catalog.problems(file: file)
                if catalogs[catalog.name] != nil {
                    problems.append(ConfigProblem(file: file, path: "$.name", message: "provider \(catalog.name) is defined twice"))
                }
                catalogs[catalog.name] = catalog
            case .failure(let problem):
                problems.append(problem)
            }
        }
        guard problems.isEmpty else { throw ConfigLoadError(problems: problems) }
        return catalogs
    }

    public static func decode(file: String) -> Result<ProviderCatalog, ConfigProblem> {
        guard let data = FileManager.default.contents(atPath: file) else {
            return .failure(ConfigProblem(file: file, path: "$", message: "cannot read the file"))
        }
        return decode(data, file: file)
    }

    public static func decode(_ data: Data, file: String) -> Result<ProviderCatalog, ConfigProblem> {
        do {
            return .success(try JSONDecoder().decode(ProviderCatalog.self, from: data))
        } catch let error as DecodingError {
            let (path, message) = JSONPath.describe(error)
            return .failure(ConfigProblem(file: file, path: path, message: message))
        } catch {
            return .failure(ConfigProblem(file: file, path: "$", message: "is not valid JSON"))
        }
    }
}

