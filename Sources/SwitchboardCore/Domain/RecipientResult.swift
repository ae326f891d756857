/// The provider's answer for one recipient of a send.
public struct RecipientResult: Sendable, Hashable {
    public enum Outcome: Sendable, Hashable {
        /// The provider took the message; `status` is its own word for it ("sent", "accepted", …).
        case accepted(providerMessageId: String, status: String)
        case failed(ProviderFailure)
    }

    public var recipient: PhoneNumber
    public var outcome: Outcome

    public init(recipient: PhoneNumber, outcome: Outcome) {
        self.recipient = recipient
        self.outcome = outcome
    }

    public var failure: ProviderFailure? {
        if case .failed(let failure) = outcome { return failure }
        return nil
    }

    public static func failing(_ recipients: [PhoneNumber], with failure: ProviderFailure) -> [RecipientResult] {
        recipients.map { RecipientResult(recipient: $0, outcome: .failed(failure)) }
    }
}
