/// A provider's callback as it arrived at `/inbound/{provider}/{account}[/{event}]`, before any adapter read it.
public struct InboundRequest: Sendable {
    public enum Method: String, Sendable, Hashable { case get = "GET", post = "POST" }

    public var method: Method
    /// The segment after the account (Kaleyra's `status` or `receive`); nil for the bare account URL.
    public var event: String?
    /// Query parameters; a name given twice keeps its last value.
    public var query: [String: String]
    /// Header values by lowercased name.
    public var headers: [String: String]
    public var contentType: String?
    /// The raw body, for signatures computed over the exact bytes.
    public var body: [UInt8]

    public init(
        method: Method, event: String?, query: [String: String], headers: [String: String], contentType: String?,
        body: [UInt8]
    ) {
        self.method = method
        self.event = event
        self.query = query
        self.headers = headers
        self.contentType = contentType
        self.body = body
    }

    public func header(_ name: String) -> String? { headers[name.lowercased()] }
}

/// What an adapter made of a callback.
public enum InboundReply: Sendable, Hashable {
    /// Events to apply, in order (one POST may carry several).
    case events([InboundEvent])
    /// A verification handshake: answer 200 with this text as the body and store nothing.
    case challenge(String)
}

/// Why an adapter refused a callback. Nothing refused is stored.
public enum InboundRefusal: Error, Sendable, Hashable {
    /// Bad or missing signature or token (401).
    case unauthorized(String)
    /// A verification handshake that did not match (403).
    case forbidden(String)
    /// Not a callback this adapter understands (400).
    case invalid(String)
    /// A customer number that is not E.164.
    case invalidRecipient(String)
    /// This provider has no callback at that sub-path (404).
    case unknownEvent
    /// The sub-path exists but not for this method (405).
    case methodNotAllowed(allowed: [InboundRequest.Method])
}

/// One inbound URL an adapter serves below `/inbound/{provider}/{account}`.
public struct InboundRoute: Sendable, Hashable {
    /// Nil for the bare account URL.
    public var event: String?
    public var methods: [InboundRequest.Method]

    public init(event: String?, methods: [InboundRequest.Method]) {
        self.event = event
        self.methods = methods
    }
}

extension InboundRoute {
    /// The route `request` is for among `routes`, or why there is none.
    public static func check(_ request: InboundRequest, against routes: [InboundRoute]) throws(InboundRefusal) {
        guard let route = routes.first(where: { $0.event == request.event }) else { throw .unknownEvent }
        guard route.methods.contains(request.method) else { throw .methodNotAllowed(allowed: route.methods) }
    }
}
