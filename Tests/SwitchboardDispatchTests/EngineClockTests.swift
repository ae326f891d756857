import SwitchboardCore
import SwitchboardDispatch
import SwitchboardTestSupport
import Testing

/// The engine's timers (breaker cooldown, backoff, Retry-After) on the manual clock: no sockets and no wall-clock
/// sleeps.
@Suite(.timeLimit(.minutes(1))) struct EngineClockTests {
    static func policy(_ change: (inout Policy) -> Void) -> Policy {
        var policy = FakeEngine.quickPolicy
        change(&policy)
        return policy
    }

    @Test func aFailedProbeReopensTheCircuitForAnotherCooldown() async {
        let engine = FakeEngine(policy: Self.policy {
            $0.retriesPerAccount = 0
            $0.circuitBreaker = .init(failureThreshold: 1, cooldownMs: 1000)
        })
        engine.provider.always("primary", .fail(.unavailable), times: 2)
        #expect(await engine.sendOne().acceptedBy == "backup")
        engine.clock.advance(by: 1000)
        #expect(await engine.sendOne().acceptedBy == "backup", "the probe failed over")
        #expect(engine.provider.calls(to: "primary").count == 2)
        engine.clock.advance(by: 999)
        #expect(await engine.sendOne().acceptedBy == "backup")
        #expect(engine.provider.calls(to: "primary").count == 2, "open again after the failed probe")
    }

    @Test func aRetryOnTheSameAccountWaitsForItsBackoffOnTheClock() async throws {
        let engine = FakeEngine(policy: Self.policy {
            $0.retriesPerAccount = 1
            $0.backoff = .init(baseMs: 400, maxMs: 400)
        })
        engine.provider.script("primary", .fail(.unavailable))
        async let result = engine.sendOne()
        await engine.clock.waitForSleepers()
        #expect(engine.provider.calls(to: "primary").count == 1, "the retry waits for the clock")
        let wait = try #require(engine.clock.nextDeadline) - engine.clock.now()
        #expect((1...400).contains(wait), "no longer than the capped backoff, was \(wait)")
        engine.clock.advance(by: wait - 1)
        #expect(engine.provider.calls(to: "primary").count == 1, "not a millisecond early")
        engine.clock.advance(by: 1)
        let settled = await result
        #expect(settled.acceptedBy == "primary")
        #expect(settled.attempts.map(\.outcome) == [.failed(.unavailable), .accepted])
        #expect(engine.provider.calls(to: "backup").isEmpty)
    }

    @Test func retryAfterPausesTheAccountForExactlyThatLong() async {
        let engine = FakeEngine(policy: Self.policy { $0.retriesPerAccount = 0 })
        engine.provider.script("primary", .fail(.rateLimited, retryAfterMs: 5000))
        #expect(await engine.sendOne().acceptedBy == "backup")
        engine.clock.advance(by: 4999)
        #expect(await engine.sendOne().acceptedBy == "backup")
        #expect(engine.provider.calls(to: "primary").count == 1, "paused for the Retry-After")
        engine.clock.advance(by: 1)
        #expect(await engine.sendOne().acceptedBy == "primary")
    }

}
