/// Why a message failed or is in doubt: the code it is stored, counted and shown with. Bounded, so metric labels
/// stay bounded; the HTTP status a synchronous send answers with is derived from it in one place (`APIError`).
public enum MessageError: String, Sendable, Hashable, CaseIterable, Codable {
    case invalidRequest = "invalid_request"
    case invalidRecipient = "invalid_recipient"
    case invalidContent = "invalid_content"
    case needsTemplate = "needs_template"
    case optedOut = "opted_out"
    case providerError = "provider_error"
    case noRouteAvailable = "no_route_available"
    /// It may have reached a provider: held, not retried.
    case statusUnknown = "status_unknown"
    /// A queued message whose validity ran out before any account took it.
    case expired
    /// A synchronous message cut off by a stop before it reached any provider.
    case interrupted
    /// The provider took it and later reported it failed.
    case deliveryFailed = "delivery_failed"
    case internalError = "internal_error"
}
