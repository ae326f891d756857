/// Accounts and routes as validated from gateway.json; answers which route takes a message.
public struct RouteTable: Sendable {
    public let accounts: [Account]
    public let routes: [Route]
    public let policy: Policy
    private let accountsById: [String: Account]

    public init(accounts: [Account], routes: [Route], policy: Policy) {
        self.accounts = accounts
        self.routes = routes
        self.policy = policy
        self.accountsById = Dictionary(accounts.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    public func account(_ id: String) -> Account? { accountsById[id] }

    /// An account named by id, or by its sender line (with or without +).
    public func account(pinnedBy from: String) -> Account? {
        if let account = accountsById[from] { return account }
        let digits = from.hasPrefix("+") ? String(from.dropFirst()) : from
        return accounts.first { account in
            guard let line = account.from else { return false }
            return (line.hasPrefix("+") ? String(line.dropFirst()) : line) == digits
        }
    }

    public struct Selection: Sendable, Hashable {
        public var route: Route
        public var reason: String
    }

    /// Top to bottom, the first route that fits; but a route that fit on a number prefix yields to a later one
    /// that fits on a longer prefix, so "1" and "1876" can differ whatever their order.
    public func select(for number: PhoneNumber, kind: MessageKind) -> Selection? {
        var best: (index: Int, specificity: Int, reason: String)?
        for (index, route) in routes.enumerated() {
            let outcome = route.match.map { $0.evaluate(number, kind: kind) } ?? (0, "catch-all route")
            guard let (specificity, reason) = outcome else { continue }
            if let current = best {
                if current.specificity > 0, specificity > current.specificity { best = (index, specificity, reason) }
            } else {
                best = (index, specificity, reason)
            }
        }
        guard let best else { return nil }
        return Selection(route: routes[best.index], reason: best.reason)
    }

    public func route(named name: String) -> Route? { routes.first { $0.name == name } }
}
