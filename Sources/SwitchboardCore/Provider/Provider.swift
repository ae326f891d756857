/// One provider's wire protocol. An adapter performs a send for one account and classifies what came back.
public protocol Provider: Sendable {
    /// The catalog name, e.g. "kaleyra".
    var name: String { get }
    var capabilities: ProviderCapabilities { get }

    /// Sends to every recipient in `request` through `account`: one result per recipient, in request order.
    /// Never throws: transport errors become `unavailable` or `ambiguous` failures.
    /// See the default: nil unless the provider takes a callback URL per send.
    func callbackURL(publicURL: String, account: Account) -> String?

    func send(_ request: SendRequest, account: Account, timeout: Duration) async -> [RecipientResult]

    /// The callbacks this provider makes, below `/inbound/{name}/{account}`; none by default.
    var inboundRoutes: [InboundRoute] { get }
    /// Authenticates and reads one callback for `account`, already checked against `inboundRoutes` (see `accept`).
    /// No I/O: the gateway stores what comes back.
    func receive(_ request: InboundRequest, account: Account) throws(InboundRefusal) -> InboundReply

    func listTemplates(account: Account) async throws(ProviderOperationError) -> [ProviderTemplate]
    func listNumbers(account: Account) async throws(ProviderOperationError) -> [ProviderNumber]
    func accountInfo(account: Account) async throws(ProviderOperationError) -> [String: String]
}

extension Provider {
    /// The status callback URL this provider takes on each send, for `account`, when the gateway is reached at
    /// `publicURL`; nil for providers configured with a callback URL of their own.
    public func callbackURL(publicURL: String, account: Account) -> String? { nil }

    public var inboundRoutes: [InboundRoute] { [] }

    /// A callback as the gateway hands it over: refused unless one of `inboundRoutes` takes its sub-path and method,
    /// then read by `receive`.
    public func accept(_ request: InboundRequest, account: Account) throws(InboundRefusal) -> InboundReply {
        try InboundRoute.check(request, against: inboundRoutes)
        return try receive(request, account: account)
    }

    public func receive(_ request: InboundRequest, account: Account) throws(InboundRefusal) -> InboundReply {
        throw .unknownEvent
    }

    public func listTemplates(account: Account) async throws(ProviderOperationError) -> [ProviderTemplate] {
        throw .unsupported(provider: name, operation: "templates")
    }
    public func listNumbers(account: Account) async throws(ProviderOperationError) -> [ProviderNumber] {
        throw .unsupported(provider: name, operation: "numbers")
    }
    public func accountInfo(account: Account) async throws(ProviderOperationError) -> [String: String] {
        throw .unsupported(provider: name, operation: "account info")
    }
}

public struct ProviderCapabilities: Sendable, Hashable {
    /// The most recipients one request may carry.
    public var maxBatch: Int
    public var maxTextLength: Int
    public var supportsTemplates: Bool
    public var supportsTemplateListing: Bool
    public var supportsNumberListing: Bool

    public init(
        maxBatch: Int, maxTextLength: Int, supportsTemplates: Bool,
        supportsTemplateListing: Bool, supportsNumberListing: Bool
    ) {
        self.maxBatch = maxBatch
        self.maxTextLength = maxTextLength
        self.supportsTemplates = supportsTemplates
        self.supportsTemplateListing = supportsTemplateListing
        self.supportsNumberListing = supportsNumberListing
    }
}

public struct ProviderTemplate: Sendable, Hashable, Codable {
    public var name: String
    public var language: String?
    public var status: String?
    public var category: String?
    public init(name: String, language: String?, status: String?, category: String?) {
        self.name = name
        self.language = language
        self.status = status
        self.category = category
    }
}

public struct ProviderNumber: Sendable, Hashable, Codable {
    public var id: String
    public var label: String?
    public var isDefault: Bool
    public init(id: String, label: String?, isDefault: Bool) {
        self.id = id
        self.label = label
        self.isDefault = isDefault
    }
}

public enum ProviderOperationError: Error, Sendable, Equatable {
    case unsupported(provider: String, operation: String)
    case failed(ProviderFailure)
}
