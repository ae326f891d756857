/// "Which account would carry this message, and why?" — answered without sending anything.
public struct RouteExplanation: Sendable, Hashable, Codable {
    public struct Candidate: Sendable, Hashable, Codable {
        public var order: Int
        public var account: String
        public var provider: String
        public var pod: String?
        public var region: String?
        public var weight: Double?
        public var circuit: CircuitBreaker.Phase
        public var available: Bool
        /// Why it would be passed over, if it would.
        public var skipReason: String?
        public var skipCode: String?
    }

    public var to: String
    public var callingCode: String?
    public var country: String?
    public var kind: MessageKind
    public var route: String?
    public var reason: String
    public var strategy: Route.Strategy?
    public var failover: Route.FailoverScope?
    public var candidates: [Candidate]
    /// The account that would be tried first, if any can be.
    public var wouldUse: String?
    public var error: String?
}

extension RoutePlanner {
    public func explain(
        to number: PhoneNumber, kind: MessageKind, from: String? = nil, route: String? = nil,
        draw: Double, health: some HealthView, now: Instant
    ) -> RouteExplanation {
        let code = number.callingCode
        var explanation = RouteExplanation(
            to: number.e164, callingCode: code?.code, country: code?.region, kind: kind, route: nil, reason: "",
            strategy: nil, failover: nil, candidates: [], wouldUse: nil, error: nil)
        let plan: Plan
        switch self.plan(to: number, kind: kind, from: from, route: route, draw: draw) {
        case .failure(let error):
            explanation.reason = error.description
            explanation.error = error == .noRouteMatches ? "no_route_available" : "invalid_request"
            return explanation
        case .success(let found): plan = found
        }
        explanation.route = plan.routeName
        explanation.reason = plan.reason
        explanation.strategy = plan.strategy
        explanation.failover = plan.failover
        let weights = Dictionary(table.route(named: plan.routeName)?.targets.map { ($0.account, $0.weight) } ?? [], uniquingKeysWith: { a, _ in a })
        func entry(_ account: Account, order: Int, skip: SkipReason?) -> RouteExplanation.Candidate {
            let accountHealth = health.health(of: account.id)
            return RouteExplanation.Candidate(
                order: order, account: account.id, provider: account.provider, pod: account.pod, region: account.region,
                weight: plan.strategy == .weighted ? weights[account.id] : nil,
                circuit: accountHealth?.breaker.phase(at: now) ?? .closed, available: skip == nil,
                skipReason: skip?.description, skipCode: skip?.code)
        }
        for (index, account) in plan.candidates.enumerated() {
            let skip = health.health(of: account.id)?.unavailability(at: now)
            explanation.candidates.append(entry(account, order: index + 1, skip: skip))
        }
        for exclusion in plan.excluded {
            explanation.candidates.append(entry(exclusion.account, order: explanation.candidates.count + 1, skip: exclusion.reason))
        }
        explanation.wouldUse = explanation.candidates.first { $0.available }?.account
        if explanation.wouldUse == nil {
            explanation.error = "no_route_available"
        }
        return explanation
    }
}
