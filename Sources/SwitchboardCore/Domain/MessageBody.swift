/// What is sent: free text (inside the 24-hour window) or an approved template (any time).
public enum MessageBody: Sendable, Hashable {
    case text(String)
    case template(Template)

    public struct Template: Sendable, Hashable, Codable {
        public var name: String
        public var language: String
        public var params: [String]
        public init(name: String, language: String, params: [String] = []) {
            self.name = name
            self.language = language
            self.params = params
        }
    }

    public var kind: MessageKind {
        switch self {
        case .text: .text
        case .template: .template
        }
    }
}

extension MessageBody {
    /// The stored form: `{"text": …}` or `{"template": {"language", "name", "params"}}`.
    public var stored: String {
        let value: JSONValue = switch self {
        case .text(let text): .object(["text": .string(text)])
        case .template(let template): .object(["template": .object([
            "name": .string(template.name), "language": .string(template.language),
            "params": .array(template.params.map(JSONValue.string)),
        ])])
        }
        return String(decoding: value.encoded(), as: UTF8.self)
    }

    /// Reads `stored` back; nil for anything else.
    public init?(stored: String) {
        guard let value = JSONValue.parse(Array(stored.utf8)) else { return nil }
        if let text = value["text"]?.string {
            self = .text(text)
            return
        }
        guard let template = value["template"], let name = template["name"]?.string,
              let language = template["language"]?.string else { return nil }
        let params = template["params"]?.array?.compactMap(\.string) ?? []
        self = .template(Template(name: name, language: language, params: params))
    }
}

public enum MessageKind: String, Sendable, Codable, Hashable, CaseIterable {
    case text, template
}
