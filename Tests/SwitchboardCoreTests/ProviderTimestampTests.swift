import Foundation
import SwitchboardCore
import Testing

@Suite struct ProviderTimestampTests {
    /// Every case is resolved against this receive time, never the wall clock, so the table holds on any date.
    static let received = Date(timeIntervalSince1970: 1_800_000_000)

    static let cases: [(raw: String?, seconds: Double, problem: ProviderTimestamp.Problem?)] = [
        (nil, 1_800_000_000, nil),
        ("", 1_800_000_000, nil),
        ("1799999000", 1_799_999_000, nil),
        ("1799999000.5", 1_799_999_000.5, nil),
        ("2027-01-15T08:00:00Z", 1_800_000_000, nil),
        ("2027-01-15T07:00:00Z", 1_799_996_400, nil),
        // Ahead of the receive time but within a day: clamped, so a window is never counted from the future.
        ("1800003600", 1_800_000_000, nil),
        ("2027-01-15T09:00:00Z", 1_800_000_000, nil),
        // Long past: kept, and opens no window.
        ("946684800", 946_684_800, nil),
        ("1e16", 1_800_000_000, .tooFarAhead),
        ("253402300800", 1_800_000_000, .tooFarAhead),
        ("1e308", 1_800_000_000, .tooFarAhead),
        ("1800086401", 1_800_000_000, .tooFarAhead),
        ("nan", 1_800_000_000, .notFinite),
        ("inf", 1_800_000_000, .notFinite),
        ("-inf", 1_800_000_000, .notFinite),
        ("-1e12", 1_800_000_000, .beforeEarliest),
        ("946684799", 1_800_000_000, .beforeEarliest),
        ("0", 1_800_000_000, .beforeEarliest),
        ("yesterday", 1_800_000_000, .unparseable),
        ("2027-13-45T99:00:00Z", 1_800_000_000, .unparseable),
        (String(repeating: "9", count: 400), 1_800_000_000, .notFinite),
    ]

    @Test(arguments: cases)
    func aProviderTimeIsUsedOnlyWhenItIsATimeWithinRange(
        raw: String?, seconds: Double, problem: ProviderTimestamp.Problem?
    ) {
        let stamp = ProviderTimestamp.resolve(raw, receivedAt: Self.received)
        #expect(stamp.date == Date(timeIntervalSince1970: seconds))
        #expect(stamp.problem == problem)
    }

    @Test func noResolvedTimeIsAheadOfTheReceiveTimeOrBefore2000() {
        var random = SplitMix64(seed: 15)
        for _ in 0..<5000 {
            let raw = Double(bitPattern: random.next())
            let stamp = ProviderTimestamp.resolve(seconds: raw, receivedAt: Self.received)
            #expect(stamp.date <= Self.received)
            #expect(stamp.date >= ProviderTimestamp.earliest)
        }
    }
}
