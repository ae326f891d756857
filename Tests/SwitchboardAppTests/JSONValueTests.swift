import Foundation
import SwitchboardApp
import SwitchboardCore
import Testing

@Suite("JSONValue")
struct JSONValueTests {
    static let samples: [JSONValue] = [
        .object(["b": 1, "a": .array([.string("x/y"), .null, true, false]), "c": .object(["z": .double(1.5), "y": .double(3)])]),
        .string("quote \" backslash \\ newline \n tab \t return \r bell \u{07} nul \u{00} unicode é 🚀 slash /"),
        .array([]), .object([:]), .int(-42), .double(-0.25), .string(""),
    ]

    @Test(arguments: samples.indices)
    func writesWhatJSONEncoderWritesWithSortedKeysAndUnescapedSlashes(index: Int) throws {
        let value = Self.samples[index]
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let expected = try encoder.encode(value)
        #expect(String(decoding: value.encoded(), as: UTF8.self) == String(decoding: expected, as: UTF8.self))
    }
}
