import Foundation

/// The gateway's one JSON value: request, provider and stored bodies are parsed into it (`JSONParser`), and answers
/// are built and written from it.
public enum JSONValue: Sendable, Hashable, Codable {
    case string(String), int(Int), double(Double), bool(Bool), array([JSONValue]), object([String: JSONValue]), null

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let value = try? container.decode(Bool.self) { self = .bool(value) }
        else if let value = try? container.decode(Int.self) { self = .int(value) }
        else if let value = try? container.decode(Double.self) { self = .double(value) }
        else if let value = try? container.decode(String.self) { self = .string(value) }
        else if let value = try? container.decode([JSONValue].self) { self = .array(value) }
        else { self = .object(try container.decode([String: JSONValue].self)) }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let value): try container.encode(value)
        case .int(let value): try container.encode(value)
        case .double(let value): try container.encode(value)
        case .bool(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        case .null: try container.encodeNil()
        }
    }

    /// Compact JSON with sorted keys and unescaped slashes (what JSONEncoder's `.sortedKeys, .withoutEscapingSlashes`
    /// writes), serialised directly: every answer is encoded on the send path, and JSONEncoder's containers cost
    /// more than the rest of building the answer.
    public func encoded() -> [UInt8] {
        var writer = JSONWriter()
        write(to: &writer)
        return writer.bytes
    }

    private func write(to out: inout JSONWriter) {
        switch self {
        case .string(let value): out.string(value)
        case .int(let value): out.raw(contentsOf: String(value))
        case .double(let value):
            if !value.isFinite { out.raw("null") }
            else if value == value.rounded(), abs(value) < 1e15 { out.raw(contentsOf: String(Int(value))) }
            else { out.raw(contentsOf: "\(value)") }
        case .bool(let value): out.raw(value ? "true" : "false")
        case .null: out.raw("null")
        case .array(let values):
            out.raw(UInt8(ascii: "["))
            for (index, value) in values.enumerated() {
                if index > 0 { out.raw(UInt8(ascii: ",")) }
                value.write(to: &out)
            }
            out.raw(UInt8(ascii: "]"))
        case .object(let members):
            out.raw(UInt8(ascii: "{"))
            for (index, key) in members.keys.sorted().enumerated() {
                if index > 0 { out.raw(UInt8(ascii: ",")) }
                out.key(key)
                members[key]!.write(to: &out)
            }
            out.raw(UInt8(ascii: "}"))
        }
    }

    public subscript(key: String) -> JSONValue? {
        if case .object(let object) = self { return object[key] }
        return nil
    }
}

extension JSONValue: JSONTree {
    public static func number(_ value: Double, integer: Int?) -> JSONValue { integer.map(JSONValue.int) ?? .double(value) }

    /// Parses one JSON text; nil if it is not valid JSON.
    public static func parse(_ bytes: some Collection<UInt8>) -> JSONValue? { JSONParser.parse(bytes) }
}

extension JSONValue {
    public var object: [String: JSONValue]? {
        if case .object(let object) = self { return object }
        return nil
    }

    public var array: [JSONValue]? {
        if case .array(let array) = self { return array }
        return nil
    }

    /// The value of a JSON string, and nothing else.
    public var string: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// Strings as they are; numbers without a trailing ".0"; booleans as words.
    public var text: String? {
        switch self {
        case .string(let value): value
        case .int(let value): String(value)
        case .double(let value): value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
        case .bool(let value): String(value)
        default: nil
        }
    }

    public var bool: Bool? {
        switch self {
        case .bool(let value): value
        case .string(let value): value == "true" ? true : (value == "false" ? false : nil)
        default: nil
        }
    }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
}

extension JSONValue {
    /// A list of strings as a JSON array's text, the way the store keeps id and event lists.
    public static func stringList(_ strings: [String]) -> String {
        String(decoding: JSONValue.array(strings.map(JSONValue.string)).encoded(), as: UTF8.self)
    }

    /// The strings of a JSON array's text; nil if it is not one.
    public static func stringList(parsing text: String) -> [String]? {
        guard let values = JSONValue.parse(Array(text.utf8))?.array else { return nil }
        return values.compactMap(\.string)
    }
}
