import Foundation
import SwitchboardCore

/// Any JSON value, for reading provider bodies whose shape varies.
enum JSONValue: Sendable, Equatable {
    case string(String), number(Double), bool(Bool), object([String: JSONValue]), array([JSONValue]), null

    static func parse(_ bytes: [UInt8]) -> JSONValue? { JSONParser.parse(bytes) }

    subscript(key: String) -> JSONValue? {
        if case .object(let object) = self { return object[key] }
        return nil
    }

    var object: [String: JSONValue]? {
        if case .object(let object) = self { return object }
        return nil
    }

    var array: [JSONValue]? {
        if case .array(let array) = self { return array }
        return nil
    }

    /// Strings as they are; numbers without a trailing ".0"; booleans as words.
    var text: String? {
        switch self {
        case .string(let value): value
        case .number(let value): value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
        case .bool(let value): String(value)
        default: nil
        }
    }

    var bool: Bool? {
        switch self {
        case .bool(let value): value
        case .string(let value): value == "true" ? true : (value == "false" ? false : nil)
        default: nil
        }
    }
}

extension JSONValue: JSONTree {
    static func number(_ value: Double, integer: Int?) -> JSONValue { .number(value) }
}
