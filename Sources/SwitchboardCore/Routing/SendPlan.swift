/// The failover state machine for one recipient. It never performs I/O: the caller asks `next`, performs the
/// action, and reports back with `record`. Modelled on a connection state machine that returns actions.
public struct SendPlan: Sendable {
    public enum Action: Sendable, Hashable {
        /// Call `account` with this timeout. `isRetry` counts against the retry budget.
        case attempt(account: Account, timeoutMs: Int, isRetry: Bool)
        /// Nothing to do before this instant (backoff).
        case wait(until: Instant)
        case finish(Outcome)
    }

    public enum Outcome: Sendable, Hashable {
        case accepted(account: Account, providerMessageId: String, status: String)
        /// A failure another account would repeat: invalid recipient or content, needs a template.
        case rejected(ProviderFailure)
        /// Every candidate that could be tried failed, or the deadline, attempt cap or retry budget ran out.
        case exhausted(lastFailure: ProviderFailure?, reason: Exhaustion)
        /// No candidate could take the message at all (e.g. every circuit open).
        case noRoute(NoRoute)
        /// An ambiguous failure under `onAmbiguous: hold`: it may have been sent, so nothing more is tried.
        case held(account: Account, failure: ProviderFailure)
    }

    /// Why no candidate could be tried.
    public enum NoRoute: Sendable, Hashable, CustomStringConvertible {
        public struct Skipped: Sendable, Hashable {
            public var account: String
            public var reason: SkipReason?
            public init(account: String, reason: SkipReason?) {
                self.account = account
                self.reason = reason
            }
        }

        case routeHasNoAccount
        /// Each candidate, in order, with why it was passed over.
        case everyCandidateUnavailable([Skipped])

        public var description: String {
            switch self {
            case .routeHasNoAccount: "the route has no usable account"
            case .everyCandidateUnavailable(let skipped):
                "every candidate is unavailable ("
                    + skipped.map { "\($0.account): \($0.reason?.description ?? "unavailable")" }.joined(separator: "; ")
                    + ")"
            }
        }
    }

    /// Why a send ended with no account taking it.
    public enum Exhaustion: Sendable, Hashable, CustomStringConvertible {
        case deadlinePassed(deadlineMs: Int)
        /// The deadline came while the send waited for the retry budget.
        case retryBudgetSpent
        case maxAttempts(Int)
        case everyCandidateFailed
        /// The caller stopped the send between attempts (shutdown).
        case cancelled

        public var description: String {
            switch self {
            case .deadlinePassed(let deadlineMs): "deadline of \(deadlineMs)ms passed"
            case .retryBudgetSpent: "retry budget exhausted"
            case .maxAttempts(let count): "maxAttempts (\(count)) reached"
            case .everyCandidateFailed: "every candidate failed"
            case .cancelled: "cancelled before every candidate was tried"
            }
        }
    }

    public let policy: Policy
    public let startedAt: Instant
    public private(set) var attempts: [Attempt] = []
    public private(set) var skipped: [String: SkipReason] = [:]
    public private(set) var outcome: Outcome?

    private let candidates: [Account]
    private var nextCandidate = 0
    private var current: Account?
    private var attemptsOnCurrent = 0
    private var retryAt: Instant?
    private var lastFailure: ProviderFailure?
    private var inFlight = false
    private var random: SplitMix64

    public init(candidates: [Account], policy: Policy, startedAt: Instant, seed: UInt64 = 0x5EED) {
        self.candidates = candidates
        self.policy = policy
        self.startedAt = startedAt
        self.random = SplitMix64(seed: seed)
    }

    private var deadline: Instant { startedAt + policy.deadlineMs }
    private var waitedForBudget = false

    public mutating func next(now: Instant, health: some HealthView, budget: RetryBudget) -> Action {
        if let outcome { return .finish(outcome) }
        precondition(!inFlight, "next() called while an attempt is in flight")
        if now >= deadline {
            let reason: Exhaustion = waitedForBudget ? .retryBudgetSpent : .deadlinePassed(deadlineMs: policy.deadlineMs)
            return finish(.exhausted(lastFailure: lastFailure, reason: reason))
        }
        if attempts.count >= policy.maxAttempts {
            return finish(.exhausted(lastFailure: lastFailure, reason: .maxAttempts(policy.maxAttempts)))
        }
        if let current, let retryAt {
            if retryAt >= deadline {
                self.retryAt = nil
            } else if health.health(of: current.id)?.unavailability(at: now) != nil {
                // The breaker opened meanwhile: leave this account.
                self.retryAt = nil
            } else {
                if now < retryAt { return .wait(until: retryAt) }
                guard budget.allowsAnotherRetry(policy.retryBudget) else { return waitForBudget(now: now) }
                self.retryAt = nil
                return start(current, now: now, isRetry: true)
            }
        }
        while nextCandidate < candidates.count {
            let account = candidates[nextCandidate]
            nextCandidate += 1
            if let reason = health.health(of: account.id)?.unavailability(at: now) {
                skipped[account.id] = reason
                continue
            }
            let isRetry = !attempts.isEmpty
            if isRetry, !budget.allowsAnotherRetry(policy.retryBudget) {
                nextCandidate -= 1
                return waitForBudget(now: now)
            }
            current = account
            attemptsOnCurrent = 0
            return start(account, now: now, isRetry: isRetry)
        }
        if attempts.isEmpty {
            let skipped = candidates.map { NoRoute.Skipped(account: $0.id, reason: self.skipped[$0.id]) }
            return finish(.noRoute(candidates.isEmpty ? .routeHasNoAccount : .everyCandidateUnavailable(skipped)))
        }
        return finish(.exhausted(lastFailure: lastFailure, reason: .everyCandidateFailed))
    }

    /// The retry budget is spent: wait for retries in flight to end rather than fail a message a healthy account could
    /// take. Retries are delayed, never multiplied; past the deadline the send ends as `retry budget exhausted`.
    private mutating func waitForBudget(now: Instant) -> Action {
        waitedForBudget = true
        return .wait(until: min(now + Self.budgetPollMs, deadline))
    }

    static let budgetPollMs = 5

    /// Ends the send between attempts, when the caller is cancelled; the outcome it already had if it had one.
    public mutating func cancel() -> Outcome {
        if let outcome { return outcome }
        precondition(!inFlight, "cancel() called while an attempt is in flight")
        self.outcome = .exhausted(lastFailure: lastFailure, reason: .cancelled)
        return self.outcome!
    }

    /// The caller could not take the account after all (its half-open probe went to someone else).
    public mutating func recordSkip(account: Account, reason: SkipReason) {
        inFlight = false
        skipped[account.id] = reason
        retryAt = nil
        current = nil
    }

    public mutating func record(account: Account, outcome result: RecipientResult.Outcome, durationMs: Int, now: Instant) {
        inFlight = false
        var attempt = Attempt(account: account.id, provider: account.provider, outcome: .accepted, durationMs: durationMs, decision: .done)
        defer { attempts.append(attempt) }
        guard case .failed(let failure) = result else {
            if case .accepted(let id, let status) = result {
                attempt.providerMessageId = id
                outcome = .accepted(account: account, providerMessageId: id, status: status)
            }
            return
        }
        lastFailure = failure
        attempt.outcome = .failed(failure.failureClass)
        attempt.providerCode = failure.providerCode
        attempt.message = failure.message
        var failureClass = failure.failureClass
        if failureClass == .ambiguous {
            guard policy.onAmbiguous == .failover else {
                attempt.decision = .hold
                outcome = .held(account: account, failure: failure)
                return
            }
            failureClass = .unavailable
        }
        if !failureClass.mayTryAnotherAccount && !failureClass.mayRetrySameAccount {
            attempt.decision = .stop(failureClass)
            outcome = .rejected(failure)
            return
        }
        if failureClass.mayRetrySameAccount, attemptsOnCurrent <= policy.retriesPerAccount {
            let delay = backoff(retry: attemptsOnCurrent)
            retryAt = now + delay
            attempt.decision = .retrySameAccount(afterMs: delay)
            return
        }
        retryAt = nil
        current = nil
        attempt.decision = nextCandidate < candidates.count ? .failOver : .noCandidatesLeft
    }

    private mutating func start(_ account: Account, now: Instant, isRetry: Bool) -> Action {
        inFlight = true
        attemptsOnCurrent += 1
        return .attempt(account: account, timeoutMs: max(1, min(policy.attemptTimeoutMs, deadline - now)), isRetry: isRetry)
    }

    private mutating func finish(_ outcome: Outcome) -> Action {
        self.outcome = outcome
        return .finish(outcome)
    }

    /// Exponential from `baseMs`, capped at `maxMs`, with equal jitter (half fixed, half random).
    private mutating func backoff(retry: Int) -> Int {
        let exponential = min(Double(policy.backoff.maxMs), Double(policy.backoff.baseMs) * Double(1 << min(max(retry - 1, 0), 20)))
        let unit = random.nextUnit()
        return Int(exponential / 2 + unit * exponential / 2)
    }
}
