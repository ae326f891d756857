import Crypto
import Foundation
import SwitchboardCore

/// POST /v1/messages, validated: everything a provider would reject for its shape is refused here, before any write.
struct SendMessageRequest: Sendable, Hashable {
    static let maxRecipients = 100
    static let maxTextLength = 4096
    static let maxRefLength = 255
    static let fields: Set<String> = ["to", "text", "template", "from", "route", "ref", "ref1", "ref2", "mode", "validityMs"]
    static let defaultValidityMs = 24 * 3600 * 1000
    static let validityRange = 1000...(7 * 24 * 3600 * 1000)

    enum Mode: String, Sendable { case sync, queued }

    var recipients: [PhoneNumber]
    var body: MessageBody
    var from: String?
    var route: String?
    var ref: String?
    var ref1: String?
    var ref2: String?
    var mode: Mode = .sync
    /// Queued sends: how long to keep trying before the message fails.
    var validityMs: Int = defaultValidityMs

    static func parse(_ bytes: [UInt8], preferAsync: Bool = false) throws(APIError) -> SendMessageRequest {
        let root = try JSONValue.parseRequest(bytes)
        guard case .object(let object) = root else { throw invalid("$", "the body must be a JSON object") }
        if let unknown = object.keys.sorted().first(where: { !fields.contains($0) }) {
            throw invalid("$.\(unknown)", "unknown field \"\(unknown)\"")
        }
        let recipients = try parseRecipients(object["to"])
        let body: MessageBody
        switch (object["text"], object["template"]) {
        case (.some, .some): throw invalid("$", "give text or template, not both")
        case (.none, .none): throw invalid("$", "give text or template")
        case (.some(let text), .none):
            guard case .string(let value) = text else { throw invalid("$.text", "must be a string") }
            guard !value.isEmpty else { throw APIError(.invalidContent, "text is empty", details: ["path": "$.text"]) }
            guard value.count <= maxTextLength else {
                throw APIError(.invalidContent, "text is \(value.count) characters; the limit is \(maxTextLength)", details: ["path": "$.text"])
            }
            body = .text(value)
        case (.none, .some(let template)):
            body = .template(try parseTemplate(template))
        }
        var mode: Mode = preferAsync ? .queued : .sync
        if let raw = try optionalString(object, "mode") {
            guard let parsed = Mode(rawValue: raw) else { throw invalid("$.mode", "must be \"sync\" or \"queued\"") }
            mode = parsed
        }
        var validityMs = defaultValidityMs
        switch object["validityMs"] {
        case .none, .null: break
        case .int(let value) where validityRange.contains(value): validityMs = value
        // JSON does not tell 20000 from 20000.0; a whole number is a whole number however it is written.
        case .double(let value) where value == value.rounded() && Double(validityRange.lowerBound)...Double(validityRange.upperBound) ~= value:
            validityMs = Int(value)
        default: throw invalid("$.validityMs", "must be a whole number of milliseconds from 1000 to 604800000")
        }
        return SendMessageRequest(
            recipients: recipients, body: body,
            from: try optionalString(object, "from"), route: try optionalString(object, "route"),
            ref: try ref(object, "ref"), ref1: try ref(object, "ref1"), ref2: try ref(object, "ref2"), mode: mode, validityMs: validityMs)
    }

    private static func parseRecipients(_ value: JSONValue?) throws(APIError) -> [PhoneNumber] {
        var raw: [(String, String)] = []
        switch value {
        case .none: throw invalid("$.to", "is required")
        case .string(let text):
            raw = text.split(separator: ",", omittingEmptySubsequences: false).enumerated().map { ("$.to", String($1)) }
        case .array(let items):
            for (index, item) in items.enumerated() {
                guard case .string(let text) = item else { throw invalid("$.to[\(index)]", "must be a string") }
                raw.append(("$.to[\(index)]", text))
            }
        default: throw invalid("$.to", "must be a number as a string, an array of them, or a comma-separated string")
        }
        guard !raw.isEmpty else { throw invalid("$.to", "names no recipient") }
        guard raw.count <= maxRecipients else { throw invalid("$.to", "has \(raw.count) recipients; the limit is \(maxRecipients)") }
        var numbers: [PhoneNumber] = []
        for (path, text) in raw {
            let number: PhoneNumber
            do { number = try PhoneNumber(text) } catch {
                throw APIError(.invalidRecipient, error.description, details: ["path": .string(path)])
            }
            guard !numbers.contains(number) else {
                throw invalid(path, "\(number) is listed twice; each recipient may appear once per request")
            }
            numbers.append(number)
        }
        return numbers
    }

    private static func parseTemplate(_ value: JSONValue) throws(APIError) -> MessageBody.Template {
        guard case .object(let template) = value else { throw invalid("$.template", "must be an object {name, language, params}") }
        if let unknown = template.keys.sorted().first(where: { !["name", "language", "params"].contains($0) }) {
            throw invalid("$.template.\(unknown)", "unknown field \"\(unknown)\"")
        }
        guard case .string(let name) = template["name"], !name.isEmpty else { throw invalid("$.template.name", "must be a non-empty string") }
        guard case .string(let language) = template["language"], !language.isEmpty else {
            throw invalid("$.template.language", "must be a non-empty string such as \"en_US\"")
        }
        var params: [String] = []
        switch template["params"] {
        case .none, .null: break
        case .array(let items):
            for (index, item) in items.enumerated() {
                guard case .string(let text) = item else { throw invalid("$.template.params[\(index)]", "must be a string") }
                params.append(text)
            }
        default: throw invalid("$.template.params", "must be an array of strings")
        }
        return MessageBody.Template(name: name, language: language, params: params)
    }

    private static func optionalString(_ object: [String: JSONValue], _ key: String) throws(APIError) -> String? {
        switch object[key] {
        case .none, .null: return nil
        case .string(let value): return value
        default: throw invalid("$.\(key)", "must be a string")
        }
    }

    private static func ref(_ object: [String: JSONValue], _ key: String) throws(APIError) -> String? {
        let value = try optionalString(object, key)
        if let value, value.count > maxRefLength {
            throw APIError(.invalidContent, "\(key) is \(value.count) characters; the limit is \(maxRefLength)", details: ["path": .string("$.\(key)")])
        }
        return value
    }

    private static func invalid(_ path: String, _ message: String) -> APIError {
        APIError(.invalidRequest, "\(path): \(message)", details: ["path": .string(path)])
    }

    /// A stable fingerprint of what was asked, for idempotency: the same request however its JSON was spelled, and
    /// different requests never alike (each field is length-prefixed, so no value can pass for a separator).
    var fingerprint: String {
        SHA256.hash(data: canonicalForm).map { String(format: "%02x", $0) }.joined()
    }

    var canonicalForm: [UInt8] {
        var bytes: [UInt8] = []
        func field(_ value: String?) {
            guard let value else {
                bytes.append(0)
                return
            }
            bytes.append(1)
            let utf8 = Array(value.utf8)
            bytes.append(contentsOf: withUnsafeBytes(of: UInt64(utf8.count).bigEndian, Array.init))
            bytes.append(contentsOf: utf8)
        }
        field("v2")
        field(String(recipients.count))
        for recipient in recipients { field(recipient.digits) }
        switch body {
        case .text(let text):
            field("text")
            field(text)
        case .template(let template):
            field("template")
            field(template.name)
            field(template.language)
            field(String(template.params.count))
            for param in template.params { field(param) }
        }
        for value in [from, route, ref, ref1, ref2] { field(value) }
        field(mode.rawValue)
        field(mode == .queued ? String(validityMs) : nil)
        return bytes
    }
}
