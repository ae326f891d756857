/// A JSON value type the parser can build.
public protocol JSONTree {
    static func string(_ value: String) -> Self
    /// `integer` is set when the literal has no fraction or exponent and fits in `Int`.
    static func number(_ value: Double, integer: Int?) -> Self
    static func bool(_ value: Bool) -> Self
    static var null: Self { get }
    static func array(_ values: [Self]) -> Self
    static func object(_ members: [String: Self]) -> Self
}

/// Strict RFC 8259 parsing straight into a value tree. Request and provider bodies are parsed on every send; going
/// through `Decodable` with a try-each-type value costs several thrown errors per scalar.
public enum JSONParser {
    /// Nesting deeper than this is refused rather than risking the stack.
    public static let maxDepth = 256

    /// Nil if the bytes are not one complete JSON text. Inlinable, like the reader, so each caller's module gets a copy
    /// specialised for its tree type instead of running the generic one through witness tables.
    @inlinable
    public static func parse<Tree: JSONTree>(_ bytes: some Collection<UInt8>, as _: Tree.Type = Tree.self) -> Tree? {
        try? parse(bytes, as: Tree.self, duplicateKeys: .lastWins).get()
    }

    /// What to do with an object that names a key twice (RFC 8259 leaves it open).
    public enum DuplicateKeys: Sendable {
        case lastWins
        case refuse
    }

    /// Why bytes are not accepted.
    public enum Failure: Error, Sendable, Hashable {
        case invalid
        case duplicateKey(String)
    }

    @inlinable
    public static func parse<Tree: JSONTree>(
        _ bytes: some Collection<UInt8>, as _: Tree.Type = Tree.self, duplicateKeys: DuplicateKeys
    ) -> Result<Tree, Failure> {
        let array = Array(bytes)
        return array.withUnsafeBufferPointer { buffer in
            var reader = Reader(bytes: buffer)
            reader.refusesDuplicateKeys = duplicateKeys == .refuse
            guard let value: Tree = reader.value(depth: 0) else {
                return .failure(reader.duplicateKey.map(Failure.duplicateKey) ?? .invalid)
            }
            reader.skipWhitespace()
            return reader.position == buffer.count ? .success(value) : .failure(.invalid)
        }
    }

    @usableFromInline
    struct Reader {
        @usableFromInline let bytes: UnsafeBufferPointer<UInt8>
        @usableFromInline var position = 0
        @usableFromInline var refusesDuplicateKeys = false
        /// Set when parsing stopped at a repeated key.
        @usableFromInline var duplicateKey: String?

        @inlinable
        init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

        @inlinable
        mutating func skipWhitespace() {
            while position < bytes.count {
                switch bytes[position] {
                case 0x20, 0x09, 0x0A, 0x0D: position += 1
                default: return
                }
            }
        }

        @inlinable
        mutating func consume(_ literal: StaticString) -> Bool {
            let count = literal.utf8CodeUnitCount
            guard position + count <= bytes.count else { return false }
            for offset in 0..<count where bytes[position + offset] != literal.utf8Start[offset] { return false }
            position += count
            return true
        }

        @inlinable
        mutating func value<Tree: JSONTree>(depth: Int) -> Tree? {
            guard depth < JSONParser.maxDepth else { return nil }
            skipWhitespace()
            guard position < bytes.count else { return nil }
            switch bytes[position] {
            case UInt8(ascii: "{"): return object(depth: depth)
            case UInt8(ascii: "["): return array(depth: depth)
            case UInt8(ascii: "\""): return string().map(Tree.string)
            case UInt8(ascii: "t"): return consume("true") ? .bool(true) : nil
            case UInt8(ascii: "f"): return consume("false") ? .bool(false) : nil
            case UInt8(ascii: "n"): return consume("null") ? .null : nil
            default: return number()
            }
        }

        @inlinable
        mutating func object<Tree: JSONTree>(depth: Int) -> Tree? {
            position += 1
            var members: [String: Tree] = [:]
            skipWhitespace()
            if position < bytes.count, bytes[position] == UInt8(ascii: "}") {
                position += 1
                return .object(members)
            }
            while true {
                skipWhitespace()
                guard position < bytes.count, bytes[position] == UInt8(ascii: "\""), let key = string() else { return nil }
                skipWhitespace()
                guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else { return nil }
                position += 1
                if refusesDuplicateKeys, members[key] != nil {
                    duplicateKey = key
                    return nil
                }
                guard let member: Tree = value(depth: depth + 1) else { return nil }
                members[key] = member
                skipWhitespace()
                guard position < bytes.count else { return nil }
                if bytes[position] == UInt8(ascii: ",") { position += 1; continue }
                guard bytes[position] == UInt8(ascii: "}") else { return nil }
                position += 1
                return .object(members)
            }
        }

        @inlinable
        mutating func array<Tree: JSONTree>(depth: Int) -> Tree? {
            position += 1
            var values: [Tree] = []
            skipWhitespace()
            if position < bytes.count, bytes[position] == UInt8(ascii: "]") {
                position += 1
                return .array(values)
            }
            while true {
                guard let element: Tree = value(depth: depth + 1) else { return nil }
                values.append(element)
                skipWhitespace()
                guard position < bytes.count else { return nil }
                if bytes[position] == UInt8(ascii: ",") { position += 1; continue }
                guard bytes[position] == UInt8(ascii: "]") else { return nil }
                position += 1
                return .array(values)
            }
        }

        /// At an opening quote; nil for unescaped control characters, bad escapes, lone surrogates or invalid UTF-8.
        @inlinable
        mutating func string() -> String? {
            position += 1
            let start = position
            // Fast path: no escapes.
            while position < bytes.count {
                let byte = bytes[position]
                if byte == UInt8(ascii: "\"") {
                    let text = String(validating: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
                    position += 1
                    return text
                }
                if byte == UInt8(ascii: "\\") { break }
                if byte < 0x20 { return nil }
                position += 1
            }
            var scratch = Array(bytes[start..<position])
            while position < bytes.count {
                let byte = bytes[position]
                position += 1
                switch byte {
                case UInt8(ascii: "\""):
                    return String(validating: scratch, as: UTF8.self)
                case UInt8(ascii: "\\"):
                    guard position < bytes.count else { return nil }
                    let escape = bytes[position]
                    position += 1
                    switch escape {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): scratch.append(escape)
                    case UInt8(ascii: "b"): scratch.append(0x08)
                    case UInt8(ascii: "f"): scratch.append(0x0C)
                    case UInt8(ascii: "n"): scratch.append(0x0A)
                    case UInt8(ascii: "r"): scratch.append(0x0D)
                    case UInt8(ascii: "t"): scratch.append(0x09)
                    case UInt8(ascii: "u"):
                        guard var scalar = hex4() else { return nil }
                        if (0xD800..<0xDC00).contains(scalar) {
                            guard consume("\\u"), let low = hex4(), (0xDC00..<0xE000).contains(low) else { return nil }
                            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        }
                        guard let unicode = Unicode.Scalar(scalar) else { return nil }
                        scratch.append(contentsOf: Array(String(Character(unicode)).utf8))
                    default: return nil
                    }
                default:
                    if byte < 0x20 { return nil }
                    scratch.append(byte)
                }
            }
            return nil
        }

        @inlinable
        mutating func hex4() -> UInt32? {
            guard position + 4 <= bytes.count else { return nil }
            var value: UInt32 = 0
            for _ in 0..<4 {
                let byte = bytes[position]
                let digit: UInt32
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
                default: return nil
                }
                value = value << 4 | digit
                position += 1
            }
            return value
        }

        @inlinable
        mutating func number<Tree: JSONTree>() -> Tree? {
            let start = position
            func digits() -> Int {
                let from = position
                while position < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[position]) { position += 1 }
                return position - from
            }
            if position < bytes.count, bytes[position] == UInt8(ascii: "-") { position += 1 }
            let integerStart = position
            let integerDigits = digits()
            guard integerDigits > 0, !(integerDigits > 1 && bytes[integerStart] == UInt8(ascii: "0")) else { return nil }
            var isInteger = true
            if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
                position += 1
                guard digits() > 0 else { return nil }
                isInteger = false
            }
            if position < bytes.count, bytes[position] == UInt8(ascii: "e") || bytes[position] == UInt8(ascii: "E") {
                position += 1
                if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") { position += 1 }
                guard digits() > 0 else { return nil }
                isInteger = false
            }
            let literal = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
            guard let double = Double(literal), double.isFinite else { return nil }
            return .number(double, integer: isInteger ? Int(literal) : nil)
        }
    }
}
