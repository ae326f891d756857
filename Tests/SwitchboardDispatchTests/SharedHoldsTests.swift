import SwitchboardCore
import SwitchboardDispatch
import Testing

/// The health board's side of sharing holds between instances, on instants alone (no store, no clock).
@Suite struct SharedHoldsTests {
    let t0 = Instant(milliseconds: 10_000)
    var policy: Policy {
        var policy = Policy()
        policy.circuitBreaker = .init(failureThreshold: 2, cooldownMs: 30_000)
        return policy
    }

    private func fail(
        _ board: HealthBoard, _ account: String, _ failureClass: FailureClass, retryAfterMs: Int? = nil, at: Instant
    ) async {
        _ = await board.acquire(account, now: at, isRetry: false)
        let failure = ProviderFailure(failureClass, message: "x", retryAfterMs: retryAfterMs)
        await board.record(account, outcome: .failed(failure), now: at, wasRetry: false)
    }

    @Test func holdsAreTheOpenCircuitsAndPausesInForce() async {
        let board = HealthBoard(policy: policy)
        #expect(await board.holds(now: t0).isEmpty)
        await fail(board, "kaleyra-in", .unavailable, at: t0)
        #expect(await board.holds(now: t0).isEmpty, "one failure of two does not open it")
        await fail(board, "kaleyra-in", .unavailable, at: t0)
        await fail(board, "klaros", .rateLimited, retryAfterMs: 3000, at: t0)
        let holds = await board.holds(now: t0 + 1)
        #expect(holds["kaleyra-in"] == AccountHold(openUntil: t0 + 30_000))
        #expect(holds["klaros"] == AccountHold(retryAfterUntil: t0 + 3000))
        #expect(await board.holds(now: t0 + 3000)["klaros"] == nil, "a pause that ended is not a hold")
    }

    @Test func honouredHoldsSkipTheAccountUntilTheyEnd() async {
        let board = HealthBoard(policy: policy)
        await board.honour(
            ["kaleyra-in": AccountHold(openUntil: t0 + 5000), "klaros": AccountHold(retryAfterUntil: t0 + 2000)],
            now: t0)
        #expect(await board.acquire("kaleyra-in", now: t0 + 4999, isRetry: false) == false)
        #expect(await board.acquire("klaros", now: t0 + 1999, isRetry: false) == false)
        #expect(await board.acquire("klaros", now: t0 + 2000, isRetry: false))
        #expect(await board.acquire("kaleyra-in", now: t0 + 5000, isRetry: false), "half-open: this instance probes")
        await board.honour(["other": AccountHold(openUntil: t0 + 10)], now: t0 + 10)
        #expect(await board.acquire("other", now: t0 + 10, isRetry: false), "a hold that already ended changes nothing")
    }
}
