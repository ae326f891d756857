/// One provider call made for one recipient, and what the engine decided after it.
public struct Attempt: Sendable, Hashable, Codable {
    public var account: String
    public var provider: String
    /// "accepted", or the failure class.
    public var outcome: String
    public var providerCode: String?
    public var message: String?
    public var providerMessageId: String?
    public var durationMs: Int
    /// What the engine did next, e.g. "retry same account in 140ms", "fail over", "stop".
    public var decision: String

    public init(account: String, provider: String, outcome: String, providerCode: String? = nil, message: String? = nil,
                providerMessageId: String? = nil, durationMs: Int, decision: String) {
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
