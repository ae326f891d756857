/// One provider call made for one recipient, and what the engine decided after it.
public struct Attempt: Sendable, Hashable, Codable {
    /// What the provider call came to.
    public enum Outcome: Sendable, Hashable, TextCoded {
        case accepted
        case failed(FailureClass)

        /// `accepted`, or the failure class: the stored form and the metric label.
        public var text: String {
            switch self {
            case .accepted: "accepted"
            case .failed(let failureClass): failureClass.rawValue
            }
        }

        public init?(text: String) {
            if text == "accepted" {
                self = .accepted
            } else if let failureClass = FailureClass(rawValue: text) {
                self = .failed(failureClass)
            } else {
                return nil
            }
        }
    }

    /// What the engine did after the call.
    public enum Decision: Sendable, Hashable, TextCoded {
        case done
        /// Ambiguous under `onAmbiguous: hold`: it may have been sent, so nothing more is tried.
        case hold
        /// A failure every account would repeat.
        case stop(FailureClass)
        case retrySameAccount(afterMs: Int)
        case failOver
        case noCandidatesLeft

        /// The words the API shows and the store keeps.
        public var text: String {
            switch self {
            case .done: "done"
            case .hold: "hold: the provider may have sent it"
            case .stop(let failureClass): "stop: \(failureClass.rawValue) would fail on any account"
            case .retrySameAccount(let delay): "retry same account in \(delay)ms"
            case .failOver: "fail over"
            case .noCandidatesLeft: "no candidates left"
            }
        }

        public init?(text: String) {
            switch text {
            case "done": self = .done
            case "fail over": self = .failOver
            case "no candidates left": self = .noCandidatesLeft
            case _ where text.hasPrefix("hold"): self = .hold
            case _ where text.hasPrefix("stop: "):
                guard let failureClass = FailureClass(rawValue: String(text.dropFirst(6).prefix { $0 != " " })) else { return nil }
                self = .stop(failureClass)
            case _ where text.hasPrefix("retry same account in ") && text.hasSuffix("ms"):
                guard let delay = Int(text.dropFirst(22).dropLast(2)) else { return nil }
                self = .retrySameAccount(afterMs: delay)
            default: return nil
            }
        }
    }

    public var account: String
    public var provider: String
    public var outcome: Outcome
    public var providerCode: String?
    public var message: String?
    public var providerMessageId: String?
    public var durationMs: Int
    public var decision: Decision

    public init(account: String, provider: String, outcome: Outcome, providerCode: String? = nil, message: String? = nil,
                providerMessageId: String? = nil, durationMs: Int, decision: Decision) {
        self.account = account
        self.provider = provider
        self.outcome = outcome
        self.providerCode = providerCode
        self.message = message
        self.providerMessageId = providerMessageId
        self.durationMs = durationMs
        self.decision = decision
    }
}

/// A value kept and sent as its words: encoded as `text`, decoded with `init?(text:)`.
public protocol TextCoded: Codable {
    var text: String { get }
    init?(text: String)
}

extension TextCoded {
    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let value = Self(text: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "unknown \(Self.self) \(text)"))
        }
        self = value
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(text)
    }
}
