import Foundation
import SwitchboardProviders
import Testing

/// Issue 16's rule: a provider's name appears in code only in its own folder under `Sources/SwitchboardProviders/`,
/// in the simulators and in the registry. Comments do not count.
@Suite struct ProviderHomeRuleTests {
    static let sources = TestSupport.repoRoot + "/Sources"
    static let exempt: Set<String> = ["SwitchboardProviders/ProviderRegistry.swift"]

    /// Each registered provider's name, and its folder's spelling of it.
    static var names: [String] {
        ProviderRegistry.adapters.keys.flatMap { [$0, $0.replacingOccurrences(of: "-", with: "")] }
    }

    static func swiftFiles(under directory: String) -> [String] {
        let enumerator = FileManager.default.enumerator(atPath: directory)
        return (enumerator?.allObjects as? [String] ?? []).filter { $0.hasSuffix(".swift") }
    }

    /// The file without its comments (a `//` outside a string literal, to the end of the line).
    static func code(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> Substring in
            var inString = false
            var previous: Character = " "
            for index in line.indices {
                let character = line[index]
                if character == "\"" && previous != "\\" { inString.toggle() }
                if !inString, character == "/", line[line.index(after: index)...].hasPrefix("/") { return line[..<index] }
                previous = character
            }
            return line
        }.joined(separator: "\n")
    }

    @Test func noFileOutsideAProvidersHomeNamesAProvider() throws {
        #expect(Self.names.count >= 6, "the registry lists the three providers")
        var offenders: [String] = []
        for file in Self.swiftFiles(under: Self.sources) {
            let parts = file.split(separator: "/")
            if parts.first == "SwitchboardSimulators" || Self.exempt.contains(file) { continue }
            // A provider's own folder: Sources/SwitchboardProviders/<Name>/.
            if parts.first == "SwitchboardProviders", parts.count > 2,
               Self.names.contains(where: { $0.caseInsensitiveCompare(String(parts[1])) == .orderedSame }) { continue }
            let text = Self.code(try String(contentsOfFile: Self.sources + "/" + file, encoding: .utf8)).lowercased()
            for name in Self.names where text.contains(name) { offenders.append("\(file): \(name)") }
        }
        #expect(offenders.isEmpty, "provider names outside their homes: \(offenders)")
    }

    @Test func theCheckSeesANameInCodeButNotInAComment() {
        #expect(Self.code(#"let a = "kaleyra" // klaros"#).contains("kaleyra"))
        #expect(!Self.code(#"let a = 1 // klaros"#).contains("klaros"))
        #expect(Self.code(#"let url = "http://x/klaros""#).contains("klaros"))
    }

    /// Issue 16's JSON decision: Core's parser and writer are the only JSON layer on request paths. Foundation's
    /// coders stay only where a file is read once (config, catalogs), in the CLI and in the simulators.
    @Test func foundationJSONStaysOffTheRequestPaths() throws {
        let allowed = ["SwitchboardCore/Config/", "SwitchboardApp/GatewayConfiguration.swift",
                       "SwitchboardProviders/CatalogLoader.swift", "SwitchboardCLI/", "SwitchboardSimulators/"]
        var offenders: [String] = []
        for file in Self.swiftFiles(under: Self.sources) where !allowed.contains(where: file.hasPrefix) {
            let text = Self.code(try String(contentsOfFile: Self.sources + "/" + file, encoding: .utf8))
            for coder in ["JSONSerialization", "JSONDecoder(", "JSONEncoder("] where text.contains(coder) {
                offenders.append("\(file): \(coder)")
            }
        }
        #expect(offenders.isEmpty, "Foundation JSON on a request path: \(offenders)")
    }
}
