import Foundation
import SwitchboardCore
import SwitchboardDispatch
import SwitchboardStore
import Testing

@testable import SwitchboardApp

/// Two instances' health boards sharing holds through one store (a fake here; SharedStoreTests covers PostgreSQL's).
/// Their engine clocks differ, as two processes' monotonic clocks do: holds cross as wall-clock times.
@Suite struct SharedHealthSyncTests {
    actor FakeHoldStore: SharedHealthStore {
        var stored: [String: (openUntil: Date?, retryAfterUntil: Date?)] = [:]
        var writes = 0

        func publishHolds(_ holds: [String: (openUntil: Date?, retryAfterUntil: Date?)]) {
            writes += 1
            for (account, hold) in holds {
                let old = stored[account]
                stored[account] = (
                    Self.later(old?.openUntil, hold.openUntil), Self.later(old?.retryAfterUntil, hold.retryAfterUntil)
                )
            }
        }

        func currentHolds(now: Date) -> [String: (openUntil: Date?, retryAfterUntil: Date?)] {
            stored.filter { ($0.value.openUntil ?? now) > now || ($0.value.retryAfterUntil ?? now) > now }
        }

        private static func later(_ a: Date?, _ b: Date?) -> Date? {
            guard let a else { return b }
            guard let b else { return a }
            return max(a, b)
        }
    }

    let wall = Date(timeIntervalSince1970: 1_800_000_000)
    let clockA = Instant(milliseconds: 5_000)
    let clockB = Instant(milliseconds: 900_000)

    private func board() -> HealthBoard {
        var policy = Policy()
        policy.circuitBreaker = .init(failureThreshold: 1, cooldownMs: 20_000)
        return HealthBoard(policy: policy)
    }

    @Test func aCircuitOneInstanceOpensIsOpenOnTheOtherUntilTheSameWallClockTime() async throws {
        let store = FakeHoldStore()
        let a = board()
        let b = board()
        var syncA = SharedHealthSync(store: store)
        let syncB = SharedHealthSync(store: store)
        _ = await a.acquire("kaleyra-in", now: clockA, isRetry: false)
        await a.record(
            "kaleyra-in", outcome: .failed(ProviderFailure(.unavailable, message: "503")), now: clockA, wasRetry: false)
        #expect(try await syncA.publish(from: a, instant: clockA, wallNow: wall) == 1)
        #expect(
            try await syncA.publish(from: a, instant: clockA + 400, wallNow: wall.addingTimeInterval(0.4)) == 0,
            "unchanged holds are not written again")
        #expect(await store.writes == 1)

        // B reads one second later by the wall clock.
        try await syncB.absorb(into: b, instant: clockB, wallNow: wall.addingTimeInterval(1))
        #expect(await b.acquire("kaleyra-in", now: clockB, isRetry: false) == false)
        #expect(await b.acquire("kaleyra-in", now: clockB + 18_999, isRetry: false) == false)
        #expect(
            await b.acquire("kaleyra-in", now: clockB + 19_000, isRetry: false),
            "open until A's end: 20 s after A opened it")
    }

    @Test func aRetryAfterOneInstanceLearnsPausesTheOther() async throws {
        let store = FakeHoldStore()
        let a = board()
        let b = board()
        var syncA = SharedHealthSync(store: store)
        _ = await a.acquire("klaros", now: clockA, isRetry: false)
        let limited = ProviderFailure(.rateLimited, message: "429", retryAfterMs: 7000)
        await a.record("klaros", outcome: .failed(limited), now: clockA, wasRetry: false)
        _ = try await syncA.publish(from: a, instant: clockA, wallNow: wall)
        try await SharedHealthSync(store: store).absorb(into: b, instant: clockB, wallNow: wall)
        #expect(await b.acquire("klaros", now: clockB + 6999, isRetry: false) == false)
        #expect(await b.acquire("klaros", now: clockB + 7000, isRetry: false))
    }
}
