import SwitchboardCore
import Testing

@Suite struct LeasedSlotsTests {
    let t0 = Instant(milliseconds: 50_000)

    @Test func slotsAreHandedOutInOrderAtTheLinesSpacing() {
        var slots = LeasedSlots(ratePerSecond: 10)
        #expect(slots.take(1, now: t0, maxWaitMs: nil) == .short(missing: 1))
        slots.add(count: 4, first: t0 + 300, now: t0)
        #expect(slots.take(1, now: t0, maxWaitMs: nil) == .taken(at: t0 + 300))
        #expect(slots.take(2, now: t0, maxWaitMs: nil) == .taken(at: t0 + 500), "a batch goes at its last slot")
        #expect(slots.take(2, now: t0, maxWaitMs: nil) == .short(missing: 1))
        #expect(slots.available == 1)
    }

    @Test func aSlotFurtherOffThanTheCallerMayWaitIsLeftForOthers() {
        var slots = LeasedSlots(ratePerSecond: 10)
        slots.add(count: 2, first: t0 + 300, now: t0)
        #expect(slots.take(1, now: t0, maxWaitMs: 250) == .tooLate)
        #expect(slots.available == 2)
        #expect(slots.take(1, now: t0 + 100, maxWaitMs: 250) == .taken(at: t0 + 300))
    }

    @Test func slotsWhoseTimePassedUnusedAreDroppedNotSentLate() {
        var slots = LeasedSlots(ratePerSecond: 10)
        slots.add(count: 5, first: t0, now: t0)
        // At t0 + 250 the slots at t0, +100 and +200 are gone (+200 is past the grace).
        #expect(slots.take(1, now: t0 + 250, maxWaitMs: nil) == .taken(at: t0 + 300))
        #expect(slots.available == 1)
    }

    @Test func slotsAlreadyDueWhenLeasedGoAtOnceLikeASavedBurst() {
        var slots = LeasedSlots(ratePerSecond: 10)
        slots.add(count: 6, first: t0 + -250, now: t0)
        #expect(slots.take(3, now: t0, maxWaitMs: 0) == .taken(at: t0), "the slots at -250, -150 and -50 are due now")
        #expect(slots.take(1, now: t0, maxWaitMs: nil) == .taken(at: t0 + 50))
    }

    @Test func aSavedBurstIsKeptForOneLeasePeriodThenDropped() {
        var slots = LeasedSlots(ratePerSecond: 10)
        slots.add(count: 3, first: t0 + -500, now: t0)
        #expect(slots.take(1, now: t0 + 150, maxWaitMs: 0) == .taken(at: t0 + 150))
        #expect(slots.take(1, now: t0 + 240, maxWaitMs: 0) == .short(missing: 1), "dropped after 200 ms (and the grace)")
    }

    @Test func theNextLeaseFollowsThisInstancesDemandWithinTheLinesCap() {
        var slots = LeasedSlots(ratePerSecond: 1000)
        #expect(slots.nextLeaseSize(missing: 1, now: t0) == 16, "no history yet: a small first lease")
        slots.add(count: 16, first: t0, now: t0)
        for _ in 0..<10 { _ = slots.take(1, now: t0 + 10, maxWaitMs: nil) }
        // 10 in 100 ms is 100 a second: 200 ms of it with half again is 30.
        #expect(slots.nextLeaseSize(missing: 1, now: t0 + 100) == 30)
        #expect(slots.nextLeaseSize(missing: 50, now: t0 + 100) == 50, "never less than what is missing")
        var busy = LeasedSlots(ratePerSecond: 20)
        busy.add(count: 4, first: t0, now: t0)
        _ = busy.take(4, now: t0, maxWaitMs: nil)
        #expect(busy.nextLeaseSize(missing: 1, now: t0 + 1) == 4, "never more than 200 ms of the line's rate")
    }
}
