import Foundation
import SwitchboardCore
import Testing

@Suite("JSONParser")
struct JSONParserTests {
    indirect enum Tree: JSONTree, Equatable {
        case string(String), integer(Int), double(Double), bool(Bool), null, array([Tree]), object([String: Tree])
        static func number(_ value: Double, integer: Int?) -> Tree { integer.map(Tree.integer) ?? .double(value) }
    }

    @Test func parsesEveryKindOfValue() {
        let text = #" {"a": [1, 2.5, -3e2, true, false, null, "x\u00e9\ud83d\ude80\n\"\\\/"], "b": {}, "c": [], "d": -0, "e": 9223372036854775807} "#
        let parsed = JSONParser.parse(Array(text.utf8), as: Tree.self)
        let expected: Tree = .object([
            "a": .array([.integer(1), .double(2.5), .double(-300), .bool(true), .bool(false), .null, .string("xé🚀\n\"\\/")]),
            "b": .object([:]), "c": .array([]), "d": .integer(0), "e": .integer(Int.max),
        ])
        #expect(parsed == expected)
        #expect(JSONParser.parse(Array("  \"top\" ".utf8), as: Tree.self) == .string("top"))
        #expect(JSONParser.parse(Array("92233720368547758070".utf8), as: Tree.self) == .double(92233720368547758070))
    }

    @Test(arguments: [
        "", " ", "{\"a\":1,}", "[1,]", "01", "1.", ".5", "-", "1e", "+1", "\"\u{01}\"", "\"\\ud800\"", "\"\\ud800\\u0041\"", "{\"a\" 1}",
        "{a:1}", "tru", "nul", "[1] x", "[1", "{\"a\":1", "\"abc", "\"\\x\"", "\"\\u12\"", "NaN", "1e999", "'a'", "[1 2]",
    ])
    func refusesWhatIsNotJSON(text: String) {
        #expect(JSONParser.parse(Array(text.utf8), as: Tree.self) == nil)
    }

    @Test func refusesInvalidUTF8AndDeepNestingWithoutCrashing() {
        #expect(JSONParser.parse([0x22, 0xFF, 0x22], as: Tree.self) == nil)
        let deep = Array(repeating: UInt8(ascii: "["), count: 100_000)
        #expect(JSONParser.parse(deep, as: Tree.self) == nil)
        let nested = String(repeating: "[", count: 200) + String(repeating: "]", count: 200)
        #expect(JSONParser.parse(Array(nested.utf8), as: Tree.self) != nil)
    }

    @Test func agreesWithJSONSerializationOnWhatIsValid() throws {
        let samples = ["{\"to\":\"+15551234567\",\"text\":\"hi\"}", "[1,2,{\"x\":[null]}]", "\"\\u0000\"", "{\"a\":{\"a\":{\"a\":0.125}}}", "{}x", "[,]"]
        for sample in samples {
            let ours = JSONParser.parse(Array(sample.utf8), as: Tree.self) != nil
            let foundation = (try? JSONSerialization.jsonObject(with: Data(sample.utf8), options: [.fragmentsAllowed])) != nil
            #expect(ours == foundation, "\(sample)")
        }
    }
}

@Suite struct JSONParserDuplicateKeyTests {
    @Test func repeatedKeysAreRefusedWhenAskedAndOtherwiseTheLastWins() {
        let bytes = Array(#"{"a":{"b":1,"b":2}}"#.utf8)
        typealias Tree = JSONParserTests.Tree
        #expect(JSONParser.parse(bytes, as: Tree.self, duplicateKeys: .refuse) == .failure(.duplicateKey("b")))
        #expect(JSONParser.parse(bytes, as: Tree.self) == .object(["a": .object(["b": .integer(2)])]))
        #expect(JSONParser.parse(Array(#"{"a":1,"b":2}"#.utf8), as: Tree.self, duplicateKeys: .refuse)
            == .success(.object(["a": .integer(1), "b": .integer(2)])))
        #expect(JSONParser.parse(Array(#"{"a":1,}"#.utf8), as: Tree.self, duplicateKeys: .refuse) == .failure(.invalid))
    }
}
