import Foundation
import SwitchboardCore
import SwitchboardProviders
import Testing

@Suite struct CatalogLoaderTests {
    @Test func repositoryCatalogsLoad() throws {
        let catalogs = try CatalogLoader.load(directory: TestSupport.repoRoot + "/providers")
        #expect(Set(catalogs.keys) == ["cloud-api", "kaleyra", "klaros"])
        #expect(Set(catalogs["kaleyra"]!.pods.keys) == ["in", "sg", "eu", "na"])
        #expect(catalogs["klaros"]!.limits.maxBatch == 1)
    }

    static let broken: [(json: String, path: String)] = [
        (#"{"name":"x","wireFormat":"form","auth":"bearer","pods":{},"limits":{"maxBatch":"ten","refMaxLength":1,"textMaxLength":1,"messagesPerSecond":1},"supportsTemplates":true,"errors":{},"httpStatus":{}}"#, "$.limits.maxBatch"),
        (#"{"name":"x","wireFormat":"form","auth":"bearer","pods":{},"limits":{"maxBatch":1,"refMaxLength":1,"textMaxLength":1,"messagesPerSecond":1},"supportsTemplates":true,"errors":{"E1":{"class":"exploded"}},"httpStatus":{}}"#, "$.errors.E1.class"),
        (#"{"name":"x","wireFormat":"form","auth":"bearer","pods":{"in":{"region":"in"}},"limits":{"maxBatch":1,"refMaxLength":1,"textMaxLength":1,"messagesPerSecond":1},"supportsTemplates":true,"errors":{},"httpStatus":{}}"#, "$.pods.in.baseURL"),
        (#"{"name":"x","wireFormat":"form","auth":"bearer","pods":{},"limits":{"maxBatch":0,"refMaxLength":1,"textMaxLength":1,"messagesPerSecond":1},"supportsTemplates":true,"errors":{},"httpStatus":{"5yy":"unavailable"}}"#, "$.limits.maxBatch"),
        (#"{"name":"x", "#, "$"),
    ]

    @Test(arguments: broken)
    func malformedCatalogNamesFileAndPath(json: String, path: String) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("catalog-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try json.write(toFile: directory + "/x.json", atomically: true, encoding: .utf8)
        let error = try #require(throws: ConfigLoadError.self) { try CatalogLoader.load(directory: directory) }
        #expect(error.problems.first?.file == directory + "/x.json")
        #expect(error.problems.first?.path == path)
        #expect(error.description.contains("x.json: \(path)"))
    }
}
