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

public enum MessageKind: String, Sendable, Codable, Hashable, CaseIterable {
    case text, template
}
