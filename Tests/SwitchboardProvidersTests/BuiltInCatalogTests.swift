import Foundation
import SwitchboardCore
@testable import SwitchboardProviders
import Testing

/// The binary carries the catalogs, so `serve --config /etc/switchboard/gateway.json` needs no providers/ folder.
@Suite struct BuiltInCatalogTests {
    @Test func theBuiltInCatalogsAreTheRepositorysFilesByteForByte() throws {
        let directory = TestSupport.repoRoot + "/providers"
        let files = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".json") }.sorted()
        #expect(ProviderRegistry.adapters.keys.map { $0 + ".json" }.sorted() == files, "each catalog has a registry entry")
        for (name, entry) in ProviderRegistry.adapters {
            let file = try String(contentsOfFile: directory + "/" + name + ".json", encoding: .utf8)
            #expect(entry.catalog + "\n" == file, "providers/\(name).json changed: run scripts/embed-catalogs")
        }
        #expect(try CatalogLoader.builtIn() == CatalogLoader.load(directory: directory))
    }

    @Test func aDirectoryOverridesBuiltInCatalogsByNameAndAddsOthers() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("switchboard-cat-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let source = TestSupport.repoRoot + "/providers/klaros.json"
        let changed = try String(contentsOfFile: source, encoding: .utf8)
            .replacingOccurrences(of: "\"name\": \"klaros\"", with: "\"name\": \"klaros-eu\"")
        try changed.write(toFile: directory + "/klaros-eu.json", atomically: true, encoding: .utf8)
        let catalogs = try CatalogLoader.load(overriding: directory)
        #expect(Set(catalogs.keys) == ["cloud-api", "kaleyra", "klaros", "klaros-eu"])
        #expect(try CatalogLoader.load(overriding: nil).keys.sorted() == ["cloud-api", "kaleyra", "klaros"])
    }
}
