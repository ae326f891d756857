import SwitchboardCore
import Testing

@Suite struct SendPlanTests {
    let t0 = Instant(milliseconds: 1_000)
    let open = RetryBudget(activeSends: 100, activeRetries: 0)

    private func plan(_ candidates: [Account] = [Fixtures.inAccount, Fixtures.euAccount, Fixtures.klaros], policy: Policy = Policy()) -> SendPlan {
        SendPlan(candidates: candidates, policy: policy, startedAt: t0, seed: 7)
    }

    private func attemptedAccount(_ action: SendPlan.Action) -> String? {
        if case .attempt(let account, _, _) = action { return account.id }
        return nil
    }

    enum Expected: Sendable, Equatable { case retrySame, failover, rejected, held }

    static let classes: [(FailureClass, Expected)] = [
        (.invalidRecipient, .rejected), (.invalidContent, .rejected), (.needsTemplate, .rejected),
        (.invalidSender, .failover), (.unauthorized, .failover), (.templateNotFound, .failover), (.rateLimited, .failover),
        (.unavailable, .retrySame), (.ambiguous, .held),
    ]

    @Test(arguments: classes)
    func eachFailureClassLeadsToItsNextStep(failureClass: FailureClass, expected: Expected) {
        var plan = plan()
        #expect(attemptedAccount(plan.next(now: t0, health: Fixtures.healthy, budget: open)) == "kaleyra-in")
        plan.record(account: Fixtures.inAccount, outcome: Fixtures.failure(failureClass), durationMs: 5, now: t0 + 5)
        let next = plan.next(now: t0 + 5, health: Fixtures.healthy, budget: open)
        switch expected {
        case .retrySame:
            guard case .wait(let until) = next else { Issue.record("expected a backoff wait, got \(next)"); return }
            #expect(until > t0 + 5 && until <= t0 + 5 + 100)
            #expect(attemptedAccount(plan.next(now: until, health: Fixtures.healthy, budget: open)) == "kaleyra-in")
        case .failover:
            #expect(attemptedAccount(next) == "kaleyra-eu")
        case .rejected:
            guard case .finish(.rejected(let failure)) = next else { Issue.record("expected rejected, got \(next)"); return }
            #expect(failure.failureClass == failureClass)
        case .held:
            guard case .finish(.held(let account, _)) = next else { Issue.record("expected held, got \(next)"); return }
            #expect(account.id == "kaleyra-in")
        }
    }

    @Test func ambiguousUnderFailoverPolicyIsTreatedAsUnavailable() {
        var policy = Policy()
        policy.onAmbiguous = .failover
        policy.retriesPerAccount = 0
        var plan = plan(policy: policy)
        _ = plan.next(now: t0, health: Fixtures.healthy, budget: open)
        plan.record(account: Fixtures.inAccount, outcome: Fixtures.failure(.ambiguous), durationMs: 5, now: t0)
        #expect(attemptedAccount(plan.next(now: t0, health: Fixtures.healthy, budget: open)) == "kaleyra-eu")
    }

    @Test func unavailableRetriesThenFailsOverThenAccepts() {
        var plan = plan()
        var now = t0
        var tried: [String] = []
        var outcomes: [RecipientResult.Outcome] = [Fixtures.failure(.unavailable), Fixtures.failure(.unavailable), Fixtures.accepted]
        while true {
            switch plan.next(now: now, health: Fixtures.healthy, budget: open) {
            case .wait(let until): now = until
            case .attempt(let account, _, _):
                tried.append(account.id)
                plan.record(account: account, outcome: outcomes.removeFirst(), durationMs: 1, now: now)
            case .finish(let outcome):
                guard case .accepted(let account, _, _) = outcome else { Issue.record("\(outcome)"); return }
                #expect(account.id == "kaleyra-eu")
                #expect(tried == ["kaleyra-in", "kaleyra-in", "kaleyra-eu"])
                #expect(plan.attempts[0].decision.text.hasPrefix("retry same account in "))
                #expect(plan.attempts[1].decision == .failOver)
                #expect(plan.attempts[2].decision == .done)
                #expect(plan.attempts.map(\.outcome) == [.failed(.unavailable), .failed(.unavailable), .accepted])
                return
            }
        }
    }

    @Test func maxAttemptsCapsTheWholeSend() {
        var policy = Policy()
        policy.maxAttempts = 2
        policy.retriesPerAccount = 0
        var plan = plan(policy: policy)
        for account in [Fixtures.inAccount, Fixtures.euAccount] {
            #expect(attemptedAccount(plan.next(now: t0, health: Fixtures.healthy, budget: open)) == account.id)
            plan.record(account: account, outcome: Fixtures.failure(.unauthorized), durationMs: 1, now: t0)
        }
        guard case .finish(.exhausted(let last, let reason)) = plan.next(now: t0, health: Fixtures.healthy, budget: open) else { Issue.record("not exhausted"); return }
        #expect(last?.failureClass == .unauthorized)
        #expect(reason == .maxAttempts(policy.maxAttempts))
    }

    @Test func deadlineStopsRetriesAndClipsTheAttemptTimeout() {
        var policy = Policy()
        policy.deadlineMs = 3000
        policy.attemptTimeoutMs = 3000
        var plan = plan(policy: policy)
        _ = plan.next(now: t0, health: Fixtures.healthy, budget: open)
        plan.record(account: Fixtures.inAccount, outcome: Fixtures.failure(.unauthorized), durationMs: 2000, now: t0 + 2000)
        guard case .attempt(_, let timeoutMs, _) = plan.next(now: t0 + 2000, health: Fixtures.healthy, budget: open) else { Issue.record("no attempt"); return }
        #expect(timeoutMs == 1000)
        plan.record(account: Fixtures.euAccount, outcome: Fixtures.failure(.unavailable), durationMs: 1000, now: t0 + 3000)
        guard case .finish(.exhausted(_, let reason)) = plan.next(now: t0 + 3000, health: Fixtures.healthy, budget: open) else { Issue.record("not exhausted"); return }
        #expect(reason == .deadlinePassed(deadlineMs: 3000))
    }

    private let spent = RetryBudget(activeSends: 10, activeRetries: 3)

    /// The first candidate failed in a way that moves on to the next one.
    private func planAfterAFailoverableFailure(deadlineMs: Int) -> SendPlan {
        var policy = Policy()
        policy.deadlineMs = deadlineMs
        var plan = plan(policy: policy)
        _ = plan.next(now: t0, health: Fixtures.healthy, budget: open)
        plan.record(account: Fixtures.inAccount, outcome: Fixtures.failure(.unauthorized), durationMs: 1, now: t0)
        return plan
    }

    @Test func aSpentRetryBudgetDelaysFailoverUntilTheDeadline() {
        var plan = planAfterAFailoverableFailure(deadlineMs: 100)
        guard case .wait(let until) = plan.next(now: t0 + 1, health: Fixtures.healthy, budget: spent) else { Issue.record("budget ignored"); return }
        #expect(until > t0 + 1 && until <= t0 + 100)
        // Budget back: the failover goes to the next candidate, which was not used up by the wait.
        guard case .attempt(let account, _, let isRetry) = plan.next(now: until, health: Fixtures.healthy, budget: open) else { Issue.record("no failover"); return }
        #expect(account.id == Fixtures.euAccount.id)
        #expect(isRetry)
    }

    @Test func aRetryBudgetSpentUntilTheDeadlineEndsTheSend() {
        var plan = planAfterAFailoverableFailure(deadlineMs: 100)
        var now = t0 + 1
        while case .wait(let until) = plan.next(now: now, health: Fixtures.healthy, budget: spent) { now = until }
        guard case .finish(.exhausted(_, let reason)) = plan.next(now: now, health: Fixtures.healthy, budget: spent) else { Issue.record("not exhausted"); return }
        #expect(reason == .retryBudgetSpent)
        #expect(now == t0 + 100)
    }

    @Test(arguments: [(0, 0, true), (10, 2, true), (10, 3, false), (100, 19, true), (100, 20, false), (1000, 199, true), (1000, 200, false)])
    func retryBudgetIsMaxOfMinimumAndPercentOfActive(active: Int, retries: Int, allowed: Bool) {
        #expect(RetryBudget(activeSends: active, activeRetries: retries).allowsAnotherRetry(.init(percent: 20, minConcurrent: 3)) == allowed)
    }

    @Test func openCircuitsAreSkippedAndAllOpenMeansNoRoute() {
        var dead = AccountHealth(breaker: CircuitBreaker(failureThreshold: 1, cooldownMs: 30_000))
        dead.breaker.recordFailure(at: t0)
        var plan = plan([Fixtures.inAccount, Fixtures.klaros])
        #expect(attemptedAccount(plan.next(now: t0, health: ["kaleyra-in": dead], budget: open)) == "klaros")
        #expect(plan.skipped["kaleyra-in"] == .circuitOpen(until: t0 + 30_000))

        var none = self.plan([Fixtures.inAccount])
        guard case .finish(.noRoute(let reason)) = none.next(now: t0, health: ["kaleyra-in": dead], budget: open) else { Issue.record("expected noRoute"); return }
        #expect(reason == .everyCandidateUnavailable([.init(account: "kaleyra-in", reason: .circuitOpen(until: t0 + 30_000))]))
    }

    @Test func rateLimitedAccountIsNotTriedBeforeRetryAfter() {
        var health = AccountHealth(breaker: CircuitBreaker(failureThreshold: 5, cooldownMs: 1000))
        HealthRules.apply(Fixtures.failure(.rateLimited, retryAfterMs: 4000), to: &health, now: t0)
        #expect(health.unavailability(at: t0 + 3999) == .rateLimited(until: t0 + 4000))
        #expect(health.unavailability(at: t0 + 4000) == nil)
        var plan = plan([Fixtures.inAccount, Fixtures.klaros])
        #expect(attemptedAccount(plan.next(now: t0 + 10, health: ["kaleyra-in": health], budget: open)) == "klaros")
    }
}
