/// An E.164 phone number held as its digits (no `+`): a calling code and a subscriber number, 8 to 15 digits.
public struct PhoneNumber: Hashable, Sendable, Codable, CustomStringConvertible {
    public let digits: String

    /// Accepts digits with an optional leading `+` and nothing else: spaces (around the number too), dashes and other
    /// characters are rejected, not stripped.
    public init(_ raw: String) throws(PhoneNumberError) {
        var text = Substring(raw)
        if text.first == "+" { text = text.dropFirst() }
        guard !text.isEmpty, text.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw PhoneNumberError(input: raw, reason: .notDigits)
        }
        guard (8...15).contains(text.count) else { throw PhoneNumberError(input: raw, reason: .badLength) }
        guard text.first != "0" else { throw PhoneNumberError(input: raw, reason: .leadingZero) }
        digits = String(text)
    }

    public init(from decoder: Decoder) throws {
        let raw = try decoder.singleValueContainer().decode(String.self)
        do { try self.init(raw) } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.description))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(digits)
    }

    /// `+` followed by the digits.
    public var e164: String { "+" + digits }
    public var description: String { e164 }
    public var callingCode: CallingCode? { CallingCode.of(digits) }
}

public struct PhoneNumberError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Reason: String, Sendable { case notDigits, badLength, leadingZero }
    public let input: String
    public let reason: Reason

    public var description: String {
        switch reason {
        case .notDigits: "'\(input)' is not an E.164 number: use digits with an optional leading +"
        case .badLength: "'\(input)' is not an E.164 number: it must have 8 to 15 digits"
        case .leadingZero: "'\(input)' is not an E.164 number: a calling code never starts with 0"
        }
    }
}
