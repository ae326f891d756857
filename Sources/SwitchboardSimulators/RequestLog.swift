import Foundation
/// A request as a simulator received it, for tests to check the exact wire form.
public struct RecordedRequest: Sendable, Codable, Equatable {
    public var endpoint: String
    public var method: String
    public var path: String
    public var query: String
    /// Header names lower-cased.
    public var headers: [String: String]
    public var body: String

    /// Form or query fields, decoded.
    public var formFields: [String: String] { FormFields.parse(body.isEmpty ? query : body) }
}

/// Every request the simulators received, in order.
public actor RequestLog {
    private var requests: [RecordedRequest] = []
    public init() {}
    func append(_ request: RecordedRequest) { requests.append(request) }
    public func all() -> [RecordedRequest] { requests }
    public func count(endpoint: String) -> Int { requests.count { $0.endpoint == endpoint } }
    public func clear() { requests = [] }
}

/// `application/x-www-form-urlencoded` decoding, written here independently of the adapters' encoder.
public enum FormFields {
    public static func parse(_ text: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = decode(parts[0])
            fields[key] = parts.count > 1 ? decode(parts[1]) : ""
        }
        return fields
    }

    private static let unreserved = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")

    /// Percent-encodes everything but RFC 3986 unreserved characters.
    public static func escape(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? text
    }

    static func decode(_ text: Substring) -> String {
        var bytes: [UInt8] = []
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            switch byte {
            case UInt8(ascii: "+"): bytes.append(UInt8(ascii: " "))
            case UInt8(ascii: "%"):
                if let high = iterator.next(), let low = iterator.next(),
                   let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16) {
                    bytes.append(value)
                }
            default: bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
