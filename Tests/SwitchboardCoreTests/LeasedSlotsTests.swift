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
}
