/// What one provider callback said, in the gateway's terms, whichever provider sent it.
public enum InboundEvent: Sendable, Hashable {
    case status(Status)
    case message(CustomerMessage)
    case optOut(OptOut)

    /// A message the gateway sent moved on.
    public struct Status: Sendable, Hashable {
        public var providerMessageId: String
        /// Nil when the provider's word means nothing to the gateway; the event is then acknowledged and ignored.
        public var status: MessageStatus?
        /// The provider's own word, kept in the history.
        public var providerWord: String
        /// The provider's time as it sent it (unix seconds or ISO 8601); nil means the receive time.
        public var timestamp: String?
        /// Identifies the callback for de-duplication.
        public var eventKey: String

        public init(providerMessageId: String, status: MessageStatus?, providerWord: String, timestamp: String?, eventKey: String) {
            self.providerMessageId = providerMessageId
            self.status = status
            self.providerWord = providerWord
            self.timestamp = timestamp
            self.eventKey = eventKey
        }
    }

    /// A customer wrote to one of the gateway's lines.
    public struct CustomerMessage: Sendable, Hashable {
        /// E.164 digits.
        public var customer: String
        /// The line written to; nil means the account's own.
        public var line: String?
        public var text: String?
        public var type: String
        public var name: String?
        public var mediaURL: String?
        public var providerMessageId: String?
        public var timestamp: String?
        public var eventKey: String

        public init(
            customer: String, line: String?, text: String?, type: String, name: String?, mediaURL: String?,
            providerMessageId: String?, timestamp: String?, eventKey: String
        ) {
            self.customer = customer
            self.line = line
            self.text = text
            self.type = type
            self.name = name
            self.mediaURL = mediaURL
            self.providerMessageId = providerMessageId
            self.timestamp = timestamp
            self.eventKey = eventKey
        }
    }

    /// A customer asked not to be messaged.
    public struct OptOut: Sendable, Hashable {
        public var customer: String
        public var timestamp: String?
        public var eventKey: String

        public init(customer: String, timestamp: String?, eventKey: String) {
            self.customer = customer
            self.timestamp = timestamp
            self.eventKey = eventKey
        }
    }
}

extension InboundEvent {
    /// A customer number from a callback as E.164 digits, or the refusal that names the problem.
    public static func customer(_ raw: String?, field: String = "from") throws(InboundRefusal) -> String {
        guard let raw, !raw.isEmpty else { throw .invalid("\(field) is required") }
        do { return try PhoneNumber(raw).digits } catch { throw .invalidRecipient(error.description) }
    }
}
