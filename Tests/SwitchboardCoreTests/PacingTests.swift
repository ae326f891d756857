import SwitchboardCore
import Testing

@Suite struct PacingTests {
    let t0 = Instant(milliseconds: 10_000)

    @Test func aBurstOf500IsSpreadAtTheConfiguredRate() {
        var bucket = TokenBucket(ratePerSecond: 80, burst: 80, now: t0)
        let slots = (0..<500).map { _ in bucket.reserve(now: t0) }
        #expect(slots.filter { $0 == t0 }.count == 80, "the saved burst goes at once")
        #expect(slots == slots.sorted(), "slots are handed out in order")
        #expect(slots.last! - t0 == 5250, "the other 420 follow at 80/s: 5.25 s")
        for start in stride(from: 1000, through: 5000, by: 125) {
            let window = slots.filter { $0 >= t0 + start && $0 < t0 + start + 1000 }.count
            #expect(window <= 81, "at most the rate in any second after the burst (window at +\(start)ms had \(window))")
        }
    }

    @Test func tokensRefillWithTimeAndUnusedReservationsAreReturned() {
        var bucket = TokenBucket(ratePerSecond: 10, burst: 2, now: t0)
        #expect(bucket.reserve(2, now: t0) == t0)
        #expect(bucket.wait(for: 1, now: t0) == 100)
        #expect(bucket.wait(for: 1, now: t0 + 100) == 0)
        #expect(bucket.reserve(3, now: t0 + 100) == t0 + 300)
        bucket.release(3)
        #expect(bucket.wait(for: 1, now: t0 + 100) == 0)
    }
}
