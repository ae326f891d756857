/// How hard the engine tries: timeouts, retries, the circuit breaker and the retry budget.
public struct Policy: Sendable, Hashable, Codable {
    public struct Backoff: Sendable, Hashable, Codable {
        public var baseMs: Int = 100
        public var maxMs: Int = 1000
        public init(baseMs: Int = 100, maxMs: Int = 1000) {
            self.baseMs = baseMs
            self.maxMs = maxMs
        }
    }

    public struct Breaker: Sendable, Hashable, Codable {
        public var failureThreshold: Int = 5
        public var cooldownMs: Int = 30000
        public init(failureThreshold: Int = 5, cooldownMs: Int = 30000) {
            self.failureThreshold = failureThreshold
            self.cooldownMs = cooldownMs
        }
    }

    public struct Budget: Sendable, Hashable, Codable {
        public var percent: Double = 20
        public var minConcurrent: Int = 3
        public init(percent: Double = 20, minConcurrent: Int = 3) {
            self.percent = percent
            self.minConcurrent = minConcurrent
        }
    }

    public enum OnAmbiguous: String, Sendable, Hashable, Codable {
        /// No further attempt; the message's status becomes `unknown`.
        case hold
        /// Treat like `unavailable`: the message may be sent twice.
        case failover
    }

    public enum SessionWindow: String, Sendable, Hashable, Codable {
        /// Texts go out; a provider outside the window answers needs_template.
        case off
        /// A text to a customer with no open window on any candidate is refused before any provider call.
        case enforce
    }

    public var attemptTimeoutMs = 3000
    public var deadlineMs = 10000
    public var maxAttempts = 4
    public var retriesPerAccount = 1
    public var backoff = Backoff()
    public var circuitBreaker = Breaker()
    public var retryBudget = Budget()
    public var onAmbiguous = OnAmbiguous.hold
    public var sessionWindow = SessionWindow.off
    /// A synchronous send over its account's rate waits at most this long for a slot, then fails over.
    public var pacingMaxWaitMs = 250

    public init() {}

    /// Checks ranges; paths are relative to `prefix`.
    public func problems(at prefix: String) -> [(path: String, message: String)] {
        var problems: [(String, String)] = []
        if attemptTimeoutMs < 1 { problems.append(("\(prefix).attemptTimeoutMs", "must be at least 1")) }
        if deadlineMs < attemptTimeoutMs { problems.append(("\(prefix).deadlineMs", "must be at least attemptTimeoutMs (\(attemptTimeoutMs))")) }
        if maxAttempts < 1 { problems.append(("\(prefix).maxAttempts", "must be at least 1")) }
        if retriesPerAccount < 0 { problems.append(("\(prefix).retriesPerAccount", "must not be negative")) }
        if backoff.baseMs < 0 { problems.append(("\(prefix).backoff.baseMs", "must not be negative")) }
        if backoff.maxMs < backoff.baseMs { problems.append(("\(prefix).backoff.maxMs", "must be at least backoff.baseMs")) }
        if circuitBreaker.failureThreshold < 1 { problems.append(("\(prefix).circuitBreaker.failureThreshold", "must be at least 1")) }
        if circuitBreaker.cooldownMs < 0 { problems.append(("\(prefix).circuitBreaker.cooldownMs", "must not be negative")) }
        if !(0...100).contains(retryBudget.percent) { problems.append(("\(prefix).retryBudget.percent", "must be between 0 and 100")) }
        if pacingMaxWaitMs < 0 { problems.append(("\(prefix).pacingMaxWaitMs", "must not be negative")) }
        if retryBudget.minConcurrent < 0 { problems.append(("\(prefix).retryBudget.minConcurrent", "must not be negative")) }
        return problems
    }
}

/// Decodes a policy with every field optional, layered over a base.
struct PolicyPatch: Decodable, Sendable {
    struct BackoffPatch: Decodable, Sendable { var baseMs: Int?; var maxMs: Int? }
    struct BreakerPatch: Decodable, Sendable { var failureThreshold: Int?; var cooldownMs: Int? }
    struct BudgetPatch: Decodable, Sendable { var percent: Double?; var minConcurrent: Int? }

    var attemptTimeoutMs: Int?
    var deadlineMs: Int?
    var maxAttempts: Int?
    var retriesPerAccount: Int?
    var backoff: BackoffPatch?
    var circuitBreaker: BreakerPatch?
    var retryBudget: BudgetPatch?
    var onAmbiguous: Policy.OnAmbiguous?
    var sessionWindow: Policy.SessionWindow?
    var pacingMaxWaitMs: Int?

    func applied(to base: Policy) -> Policy {
        var policy = base
        policy.attemptTimeoutMs = attemptTimeoutMs ?? base.attemptTimeoutMs
        policy.deadlineMs = deadlineMs ?? base.deadlineMs
        policy.maxAttempts = maxAttempts ?? base.maxAttempts
        policy.retriesPerAccount = retriesPerAccount ?? base.retriesPerAccount
        policy.backoff.baseMs = backoff?.baseMs ?? base.backoff.baseMs
        policy.backoff.maxMs = backoff?.maxMs ?? base.backoff.maxMs
        policy.circuitBreaker.failureThreshold = circuitBreaker?.failureThreshold ?? base.circuitBreaker.failureThreshold
        policy.circuitBreaker.cooldownMs = circuitBreaker?.cooldownMs ?? base.circuitBreaker.cooldownMs
        policy.retryBudget.percent = retryBudget?.percent ?? base.retryBudget.percent
        policy.retryBudget.minConcurrent = retryBudget?.minConcurrent ?? base.retryBudget.minConcurrent
        policy.onAmbiguous = onAmbiguous ?? base.onAmbiguous
        policy.sessionWindow = sessionWindow ?? base.sessionWindow
        policy.pacingMaxWaitMs = pacingMaxWaitMs ?? base.pacingMaxWaitMs
        return policy
    }
}
