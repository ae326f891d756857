import Foundation
import SwitchboardCore
import Testing

@Suite("CivilTime")
struct CivilTimeTests {
    /// Instants across leap days, century rules, the epoch, before it, and sub-millisecond fractions.
    static var instants: [Date] {
        var random = SplitMix64(seed: 7)
        var dates = [
            Date(timeIntervalSince1970: 0), Date(timeIntervalSince1970: -0.0005), Date(timeIntervalSince1970: -86_400.25),
            Date(timeIntervalSince1970: 951_782_400.9999), // 2000-02-29
            Date(timeIntervalSince1970: 4_107_542_399.999), // 2100-02-28 23:59:59.999
            Date(timeIntervalSince1970: 1_795_412_527.3049),
        ]
        for _ in 0..<2000 { dates.append(Date(timeIntervalSince1970: (random.nextUnit() - 0.3) * 6_000_000_000)) }
        return dates
    }

    @Test func sqliteTextMatchesTheFormatGRDBStoresDatesIn() {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss.SSS"
        let mismatches = Self.instants.filter { CivilTime($0, rounding: .toNearestOrAwayFromZero).sqliteText != formatter.string(from: $0) }
        let first = mismatches.first.map { "\($0.timeIntervalSince1970): \(CivilTime($0, rounding: .toNearestOrAwayFromZero).sqliteText) vs \(formatter.string(from: $0))" }
        #expect(mismatches.count == 0, "first: \(first ?? "")")
    }

    @Test func iso8601MatchesFoundation() {
        let style = Date.ISO8601FormatStyle().year().month().day().dateSeparator(.dash).time(includingFractionalSeconds: true)
            .timeSeparator(.colon).timeZone(separator: .omitted)
        let recent = Self.instants.filter { $0.timeIntervalSince1970 > 0 }
        let mismatches = recent.filter { CivilTime($0).iso8601 != $0.formatted(style) }
        let first = mismatches.first.map { "\(CivilTime($0).iso8601) vs \($0.formatted(style))" }
        #expect(mismatches.count == 0, "first: \(first ?? "")")
        #expect(CivilTime(Date(timeIntervalSince1970: 1_795_412_527.3049)).iso8601 == "2026-11-23T05:42:07.304Z")
    }

    /// Each of these trapped (a Double-to-Int conversion, or a negative digit) when a callback carried it.
    @Test(arguments: [1e16, -1e12, 1e308, -1e308, .infinity, -.infinity, .nan, 253_402_300_800])
    func anyDateFormatsWithinYearsOneToNineThousandNineHundredNinetyNine(seconds: Double) {
        let time = CivilTime(Date(timeIntervalSince1970: seconds))
        #expect((1...9999).contains(time.year))
        #expect(time.iso8601.count == 24)
        #expect(time.sqliteText.count == 23)
    }

    @Test func theClampKeepsTheEndsOfTheRange() {
        #expect(CivilTime(Date(timeIntervalSince1970: 1e16)).iso8601 == "9999-12-31T23:59:59.999Z")
        #expect(CivilTime(Date(timeIntervalSince1970: -1e12)).iso8601 == "0001-01-01T00:00:00.000Z")
    }
}
