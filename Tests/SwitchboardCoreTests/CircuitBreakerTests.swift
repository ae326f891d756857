import SwitchboardCore
import Testing

@Suite struct CircuitBreakerTests {
    let t0 = Instant(milliseconds: 0)

    @Test func opensAfterThresholdConsecutiveFailuresThenHalfOpensAfterCooldown() {
        var breaker = CircuitBreaker(failureThreshold: 3, cooldownMs: 1000)
        breaker.recordFailure(at: t0)
        breaker.recordFailure(at: t0)
        #expect(breaker.phase(at: t0) == .closed)
        breaker.recordFailure(at: t0 + 10)
        #expect(breaker.phase(at: t0 + 10) == .open)
        let early = breaker.admit(at: t0 + 1009)
        #expect(!early)
        #expect(breaker.phase(at: t0 + 1010) == .halfOpen)
        let probe = breaker.admit(at: t0 + 1010)
        let second = breaker.admit(at: t0 + 1011)
        #expect(probe)
        #expect(!second, "only one probe in half-open")
    }

    @Test func probeSuccessClosesAndProbeFailureReopens() {
        var breaker = CircuitBreaker(failureThreshold: 1, cooldownMs: 500)
        breaker.recordFailure(at: t0)
        let firstProbe = breaker.admit(at: t0 + 500)
        #expect(firstProbe)
        breaker.recordFailure(at: t0 + 600)
        #expect(breaker.phase(at: t0 + 1099) == .open)
        let secondProbe = breaker.admit(at: t0 + 1100)
        #expect(secondProbe)
        breaker.recordHealthy()
        #expect(breaker.phase(at: t0 + 1100) == .closed)
        let afterClose = breaker.admit(at: t0 + 1100)
        #expect(afterClose)
    }

    @Test func aSuccessInBetweenResetsTheCount() {
        var breaker = CircuitBreaker(failureThreshold: 2, cooldownMs: 500)
        breaker.recordFailure(at: t0)
        breaker.recordHealthy()
        breaker.recordFailure(at: t0)
        #expect(breaker.phase(at: t0) == .closed)
    }

    @Test func aHoldFromAnotherInstanceOpensAClosedBreakerAndNeverShortensAnOpenOne() {
        var breaker = CircuitBreaker(failureThreshold: 5, cooldownMs: 1000)
        breaker.holdOpen(until: t0 + 800)
        #expect(breaker.phase(at: t0) == .open)
        #expect(breaker.phase(at: t0 + 800) == .halfOpen)
        breaker.holdOpen(until: t0 + 300)
        #expect(breaker.openUntil == t0 + 800, "an earlier end does not shorten it")
        breaker.holdOpen(until: t0 + 2000)
        #expect(breaker.openUntil == t0 + 2000)
    }

    @Test func aHoldLeavesThisInstancesOwnProbeToDecide() {
        var breaker = CircuitBreaker(failureThreshold: 1, cooldownMs: 100)
        breaker.recordFailure(at: t0)
        let probe = breaker.admit(at: t0 + 100)
        #expect(probe)
        breaker.holdOpen(until: t0 + 5000)
        breaker.recordHealthy()
        #expect(breaker.phase(at: t0 + 200) == .closed)
    }

    static let outcomes: [(FailureClass, ProviderFailure.Scope, counts: Bool)] = [
        (.unavailable, .account, true), (.ambiguous, .account, true), (.unauthorized, .account, true), (.invalidSender, .account, true),
        (.invalidRecipient, .account, false), (.invalidContent, .account, false), (.needsTemplate, .account, false),
        (.templateNotFound, .account, false), (.rateLimited, .account, false), (.rateLimited, .recipient, false), (.unavailable, .recipient, false),
    ]

    @Test(arguments: outcomes)
    func onlyTheAccountsOwnFailuresCountTowardsOpening(failureClass: FailureClass, scope: ProviderFailure.Scope, counts: Bool) {
        var health = AccountHealth(breaker: CircuitBreaker(failureThreshold: 1, cooldownMs: 1000))
        HealthRules.apply(.failed(ProviderFailure(failureClass, message: "x", scope: scope)), to: &health, now: t0)
        #expect((health.breaker.phase(at: t0) == .open) == counts)
        if failureClass == .rateLimited {
            #expect((health.rateLimitedUntil != nil) == (scope == .account), "pair-rate limits must not pause the whole account")
        }
    }
}
