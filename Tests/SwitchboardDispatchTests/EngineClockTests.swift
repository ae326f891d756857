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

    @Test func theCircuitOpensOnlyAfterThresholdConsecutiveFailuresAndStaysOpenForItsCooldown() async {
        let engine = FakeEngine(policy: Self.policy {
            $0.retriesPerAccount = 0
            $0.circuitBreaker = .init(failureThreshold: 3, cooldownMs: 5000)
        })
        engine.provider.script("primary", .fail(.unavailable), .fail(.unavailable), .accept)
        engine.provider.always("backup", .accept)
        for _ in 0..<3 { _ = await engine.sendOne() }
        engine.provider.always("primary", .fail(.unavailable), times: 3)
        for _ in 0..<2 { #expect(await engine.sendOne().acceptedBy == "backup") }
        #expect(engine.provider.calls(to: "primary").count == 5, "a success reset the count: still closed")
        #expect(await engine.sendOne().acceptedBy == "backup")
        #expect(engine.provider.calls(to: "primary").count == 6, "the third failure in a row opens it")
        engine.clock.advance(by: 4999)
        #expect(await engine.sendOne().acceptedBy == "backup")
        #expect(engine.provider.calls(to: "primary").count == 6, "open: skipped until the cooldown ends")
        engine.provider.clearScript("primary")
        engine.clock.advance(by: 1)
        #expect(await engine.sendOne().acceptedBy == "primary", "the half-open probe goes through and closes it")
        #expect(await engine.sendOne().acceptedBy == "primary")
    }

    @Test func aSpentRetryBudgetDelaysTheFailoverUntilTheDeadlineEndsIt() async throws {
        let engine = FakeEngine(policy: Self.policy {
            $0.retriesPerAccount = 0
            $0.deadlineMs = 1000
            $0.retryBudget = .init(percent: 0, minConcurrent: 0)
        })
        engine.provider.script("primary", .fail(.unavailable))
        async let result = engine.sendOne()
        await engine.clock.waitForSleepers()
        #expect(engine.provider.calls(to: "backup").isEmpty, "no retry while the budget is spent")
        engine.clock.advance(by: 1000)
        let settled = await result
        guard case .planned(.exhausted(_, let reason)) = settled.outcome else {
            Issue.record("expected exhausted, got \(settled.outcome)")
            return
        }
        #expect(reason == .retryBudgetSpent)
        #expect(engine.provider.calls(to: "backup").isEmpty)
    }

    @Test func theLastAttemptGetsOnlyWhatIsLeftOfTheDeadline() async {
        let engine = FakeEngine(policy: Self.policy {
            $0.retriesPerAccount = 0
            $0.attemptTimeoutMs = 800
            $0.deadlineMs = 1000
        })
        engine.provider.script("primary", .after(milliseconds: 700, .fail(.unavailable)))
        #expect(await engine.sendOne().acceptedBy == "backup")
        #expect(engine.provider.calls(to: "primary").map(\.timeout) == [.milliseconds(800)])
        #expect(engine.provider.calls(to: "backup").map(\.timeout) == [.milliseconds(300)])
    }

    @Test func nothingIsTriedOnceTheDeadlineHasPassed() async {
        let engine = FakeEngine(policy: Self.policy {
            $0.retriesPerAccount = 0
            $0.attemptTimeoutMs = 1000
            $0.deadlineMs = 1000
        })
        engine.provider.script("primary", .after(milliseconds: 1000, .fail(.unavailable)))
        let settled = await engine.sendOne()
        guard case .planned(.exhausted(let last, _)) = settled.outcome else {
            Issue.record("expected exhausted, got \(settled.outcome)")
            return
        }
        #expect(last?.failureClass == .unavailable)
        #expect(engine.provider.calls(to: "backup").isEmpty)
        #expect(settled.attempts.map(\.decision) == [.failOver])
    }

    @Test func aSendCancelledDuringItsBackoffEndsCutShortWithNoFurtherAttempt() async throws {
        let engine = FakeEngine(policy: Self.policy {
            $0.retriesPerAccount = 1
            $0.backoff = .init(baseMs: 400, maxMs: 400)
        })
        engine.provider.script("primary", .fail(.unavailable))
        let settled = await withTaskGroup(of: Dispatcher.Result.self) { group in
            group.addTask { await engine.sendOne() }
            await engine.clock.waitForSleepers()
            group.cancelAll()
            return await group.next()!
        }
        guard case .planned(.exhausted(let last, let reason)) = settled.outcome else {
            Issue.record("expected exhausted, got \(settled.outcome)")
            return
        }
        #expect(reason == .cancelled)
        #expect(last?.failureClass == .unavailable)
        #expect(settled.drained, "the queue puts it back at once, as after a drain")
        #expect(engine.provider.calls.count == 1)
    }
}
