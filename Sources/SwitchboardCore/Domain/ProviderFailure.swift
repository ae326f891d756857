/// A classified failure for one recipient, keeping what the provider actually said.
public struct ProviderFailure: Sendable, Hashable, Codable, Error {
    /// Whom a rate limit or failure concerns: the whole account, or only this recipient on it (e.g. WhatsApp's pair rate).
    public enum Scope: String, Sendable, Codable { case account, recipient }

    public var failureClass: FailureClass
    /// The provider's own code, e.g. "E13009" or "131047"; nil for transport failures.
    public var providerCode: String?
    public var message: String
    public var httpStatus: Int?
    /// From a `Retry-After` header or equivalent, in milliseconds.
    public var retryAfterMs: Int?
    public var scope: Scope

    public init(
        _ failureClass: FailureClass, providerCode: String? = nil, message: String,
        httpStatus: Int? = nil, retryAfterMs: Int? = nil, scope: Scope = .account
    ) {
        self.failureClass = failureClass
        self.providerCode = providerCode
        self.message = message
        self.httpStatus = httpStatus
        self.retryAfterMs = retryAfterMs
        self.scope = scope
    }

    /// Whether this failure should count towards the account's circuit breaker.
    public var countsAgainstAccount: Bool { scope == .account && failureClass.countsAgainstAccount }
}
