/// A routing rule from gateway.json: which messages it takes, and which accounts carry them, in what order.
public struct Route: Sendable, Hashable {
    public enum Strategy: String, Sendable, Hashable, Codable {
        /// Targets in the order written.
        case priority
        /// The first target drawn by weight; the rest, in order, as fallbacks.
        case weighted
    }

    public enum FailoverScope: String, Sendable, Hashable, Codable {
        case any
        /// Never fail over to an account in another region than the first candidate's (data residency).
        case sameRegion = "same-region"
    }

    public struct Target: Sendable, Hashable {
        public var account: String
        public var weight: Double
        public init(account: String, weight: Double = 1) {
            self.account = account
            self.weight = weight
        }
    }

    public var name: String
    /// Nil for a catch-all route.
    public var match: RouteMatch?
    public var strategy: Strategy
    public var targets: [Target]
    public var failover: FailoverScope
    /// The global policy with this route's overrides applied.
    public var policy: Policy

    public init(name: String, match: RouteMatch?, strategy: Strategy = .priority, targets: [Target], failover: FailoverScope = .any, policy: Policy = Policy()) {
        self.name = name
        self.match = match
        self.strategy = strategy
        self.targets = targets
        self.failover = failover
        self.policy = policy
    }
}

/// What a route takes. Every criterion given must hold.
public struct RouteMatch: Sendable, Hashable {
    /// E.164 calling codes (or longer number prefixes such as "1876"); the longest that fits counts.
    public var countryCodes: [String]
    /// Raw number prefixes, digits only.
    public var prefixes: [String]
    public var kind: MessageKind?

    public init(countryCodes: [String] = [], prefixes: [String] = [], kind: MessageKind? = nil) {
        self.countryCodes = countryCodes
        self.prefixes = prefixes
        self.kind = kind
    }

    /// Nil if it does not fit; else how it fit, with the length of the number prefix that matched (0 for none).
    func evaluate(_ number: PhoneNumber, kind: MessageKind) -> (specificity: Int, reason: String)? {
        var reasons: [String] = []
        var specificity = 0
        if let wanted = self.kind {
            guard wanted == kind else { return nil }
            reasons.append("kind is \(kind.rawValue)")
        }
        if !countryCodes.isEmpty {
            guard let code = countryCodes.filter({ number.digits.hasPrefix($0) }).max(by: { $0.count < $1.count }) else { return nil }
            specificity = max(specificity, code.count)
            reasons.append("calling code \(code) matches")
        }
        if !prefixes.isEmpty {
            guard let prefix = prefixes.filter({ number.digits.hasPrefix($0) }).max(by: { $0.count < $1.count }) else { return nil }
            specificity = max(specificity, prefix.count)
            reasons.append("prefix \(prefix) matches")
        }
        return (specificity, reasons.isEmpty ? "matches everything" : reasons.joined(separator: " and "))
    }
}
