/// Picks the route for a message and orders its candidate accounts. Pure: the weighted draw is passed in.
public struct RoutePlanner: Sendable {
    public let table: RouteTable

    public init(table: RouteTable) { self.table = table }

    /// The ordered candidates for one recipient, with why they were chosen and which were left out.
    public struct Plan: Sendable, Hashable {
        public var routeName: String
        public var reason: String
        public var strategy: Route.Strategy
        public var failover: Route.FailoverScope
        public var policy: Policy
        public var candidates: [Account]
        /// Accounts of the route excluded before any health check (e.g. other region under same-region).
        public var excluded: [Exclusion]
    }

    public struct Exclusion: Sendable, Hashable {
        public var account: Account
        public var reason: SkipReason
    }

    /// - Parameters:
    ///   - from: pins an account, by id or sender line.
    ///   - route: pins a route by name.
    ///   - draw: a number in [0, 1) for the weighted pick.
    ///   - openWindows: accounts with an open 24-hour window with this customer; for text, the first of the route's
    ///     candidates among them goes first (affinity), so the conversation stays on the line the customer wrote to.
    public func plan(
        to number: PhoneNumber, kind: MessageKind, from: String? = nil, route pinnedRoute: String? = nil, draw: Double,
        openWindows: Set<String> = []
    ) -> Result<Plan, RoutingError> {
        if let from {
            guard let account = table.account(pinnedBy: from) else { return .failure(.unknownAccount(from)) }
            return .success(Plan(
                routeName: "pinned", reason: "account pinned by from=\(from)", strategy: .priority, failover: .any,
                policy: table.policy, candidates: [account], excluded: []))
        }
        let selection: RouteTable.Selection
        if let pinnedRoute {
            guard let route = table.route(named: pinnedRoute) else { return .failure(.unknownRoute(pinnedRoute)) }
            selection = RouteTable.Selection(route: route, reason: "route pinned by route=\(pinnedRoute)")
        } else {
            guard let found = table.select(for: number, kind: kind) else { return .failure(.noRouteMatches) }
            selection = found
        }
        let route = selection.route
        var ordered = route.targets
        var reason = selection.reason
        if kind == .text, let index = ordered.firstIndex(where: { openWindows.contains($0.account) }) {
            reason += "; \(ordered[index].account) has an open 24-hour window with this customer"
            ordered.insert(ordered.remove(at: index), at: 0)
        } else if route.strategy == .weighted, let index = Self.weightedIndex(route.targets.map(\.weight), draw: draw) {
            ordered.insert(ordered.remove(at: index), at: 0)
        }
        var candidates: [Account] = []
        var excluded: [Exclusion] = []
        for target in ordered {
            guard let account = table.account(target.account) else { continue }
            if route.failover == .sameRegion, let first = candidates.first, account.region != first.region {
                excluded.append(Exclusion(account: account, reason: .otherRegion(account.region)))
                continue
            }
            candidates.append(account)
        }
        return .success(Plan(
            routeName: route.name, reason: reason, strategy: route.strategy, failover: route.failover,
            policy: route.policy, candidates: candidates, excluded: excluded))
    }

    /// The index chosen by `draw` in [0, 1) over positive weights.
    public static func weightedIndex(_ weights: [Double], draw: Double) -> Int? {
        let total = weights.reduce(0, +)
        guard total > 0 else { return nil }
        var threshold = min(max(draw, 0), 0.999_999_999) * total
        for (index, weight) in weights.enumerated() {
            if threshold < weight { return index }
            threshold -= weight
        }
        return weights.count - 1
    }
}

/// Why no plan could be made for a recipient.
public enum RoutingError: Error, Sendable, Hashable, CustomStringConvertible {
    case noRouteMatches
    case unknownAccount(String)
    case unknownRoute(String)

    public var description: String {
        switch self {
        case .noRouteMatches: "no route matches this recipient"
        case .unknownAccount(let from): "from \"\(from)\" names no account id or sender line"
        case .unknownRoute(let name): "no route named \"\(name)\""
        }
    }
}
