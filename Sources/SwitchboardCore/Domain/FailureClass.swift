/// Why a send to one recipient failed, in terms the routing engine can act on.
public enum FailureClass: String, Sendable, Codable, CaseIterable, Hashable {
    case invalidRecipient = "invalid_recipient"
    case invalidContent = "invalid_content"
    /// This provider cannot carry this content (a character its encoding has no escape for); another may.
    case unsupportedContent = "unsupported_content"
    case invalidSender = "invalid_sender"
    case unauthorized
    case needsTemplate = "needs_template"
    case templateNotFound = "template_not_found"
    case rateLimited = "rate_limited"
    /// Nothing reached the provider: connection refused, connect timeout, a 5xx.
    case unavailable
    /// The request may have reached the provider: no answer in time, or the connection died after the request was written.
    case ambiguous

    /// The same account may be tried again after a backoff.
    public var mayRetrySameAccount: Bool { self == .unavailable }

    /// Another account may be tried. Recipient and content errors would repeat anywhere; `needs_template`
    /// elsewhere would open a conversation the customer did not start. Ambiguity is the policy's call.
    public var mayTryAnotherAccount: Bool {
        switch self {
        case .invalidRecipient, .invalidContent, .needsTemplate, .ambiguous: false
        case .invalidSender, .unauthorized, .templateNotFound, .rateLimited, .unavailable, .unsupportedContent: true
        }
    }

    /// Counts towards opening the account's circuit breaker: failures that are the account's or provider's fault.
    public var countsAgainstAccount: Bool {
        switch self {
        case .invalidSender, .unauthorized, .unavailable, .ambiguous: true
        case .invalidRecipient, .invalidContent, .needsTemplate, .templateNotFound, .rateLimited, .unsupportedContent: false
        }
    }
}
