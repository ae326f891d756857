@testable import SwitchboardApp
import Testing

@Suite struct QueueDoorbellTests {
    @Test func aRingWakesEveryWaiter() async throws {
        let doorbell = QueueDoorbell()
        let started = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<2 { group.addTask { await doorbell.wait(timeout: .seconds(60)) } }
            while await doorbell.parked < 2 { try await Task.sleep(for: .milliseconds(2)) }
            await doorbell.ring()
            try await group.waitForAll()
        }
        #expect(ContinuousClock.now - started < .seconds(10))
        #expect(await doorbell.parked == 0)
    }

    @Test func aWaitEndsAtItsTimeoutWithoutARing() async {
        let doorbell = QueueDoorbell()
        let started = ContinuousClock.now
        await doorbell.wait(timeout: .milliseconds(50))
        let took = ContinuousClock.now - started
        #expect(took >= .milliseconds(50))
        #expect(took < .seconds(10))
        #expect(await doorbell.parked == 0)
    }

    @Test func aRingWithNobodyWaitingIsKeptForTheNextWait() async {
        let doorbell = QueueDoorbell()
        await doorbell.ring()
        let started = ContinuousClock.now
        await doorbell.wait(timeout: .seconds(60))
        #expect(ContinuousClock.now - started < .seconds(10))
        let again = ContinuousClock.now
        await doorbell.wait(timeout: .milliseconds(20))
        #expect(ContinuousClock.now - again >= .milliseconds(20), "the kept ring is used once")
    }

    @Test func cancellingAWaitEndsIt() async throws {
        let doorbell = QueueDoorbell()
        let started = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await doorbell.wait(timeout: .seconds(60)) }
            while await doorbell.parked < 1 { try await Task.sleep(for: .milliseconds(2)) }
            group.cancelAll()
            try await group.waitForAll()
        }
        #expect(ContinuousClock.now - started < .seconds(10))
        #expect(await doorbell.parked == 0)
    }
}
