import Foundation

/// A UTC calendar instant to the millisecond, computed with integer arithmetic. Formatting instants is on every
/// send's path (stored rows, JSON answers); Foundation's formatters cost more than the rest of the row together.
public struct CivilTime: Sendable, Hashable {
    public var year: Int
    public var month: Int
    public var day: Int
    public var hour: Int
    public var minute: Int
    public var second: Int
    public var millisecond: Int

    /// - Parameter rounding: how sub-millisecond time goes: ISO 8601 format styles truncate (`.down`);
    ///   GRDB's stored dates round to the nearest millisecond.
    /// Dates outside years 1–9999, and non-finite ones, are clamped to that range so that any `Date` formats
    /// without trapping; the inbound paths refuse such times before they get here.
    public init(_ date: Date, rounding: FloatingPointRoundingRule = .down) {
        let raw = (date.timeIntervalSince1970 * 1000).rounded(rounding)
        let totalMs = raw.isNaN ? 0 : Int(min(max(raw, Self.firstMs), Self.lastMs))
        let (days, msOfDay) = Self.floorDivide(totalMs, 86_400_000)
        millisecond = msOfDay % 1000
        second = (msOfDay / 1000) % 60
        minute = (msOfDay / 60_000) % 60
        hour = msOfDay / 3_600_000
        (year, month, day) = Self.civil(fromDays: days)
    }

    /// `2026-11-23T05:42:07.304Z`
    public var iso8601: String { format(dateTimeSeparator: UInt8(ascii: "T"), zulu: true) }

    /// `2026-11-23 05:42:07.304`: SQLite's date text, the form GRDB stores dates in, so old and new rows order alike.
    public var sqliteText: String { format(dateTimeSeparator: UInt8(ascii: " "), zulu: false) }

    private func format(dateTimeSeparator: UInt8, zulu: Bool) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(24)
        func digits(_ value: Int, _ width: Int) {
            var divisor = 1
            for _ in 1..<width { divisor *= 10 }
            var rest = value
            while divisor > 0 {
                bytes.append(UInt8(ascii: "0") + UInt8((rest / divisor) % 10))
                rest %= divisor
                divisor /= 10
            }
        }
        digits(year, 4); bytes.append(UInt8(ascii: "-")); digits(month, 2); bytes.append(UInt8(ascii: "-")); digits(day, 2)
        bytes.append(dateTimeSeparator)
        digits(hour, 2); bytes.append(UInt8(ascii: ":")); digits(minute, 2); bytes.append(UInt8(ascii: ":")); digits(second, 2)
        bytes.append(UInt8(ascii: ".")); digits(millisecond, 3)
        if zulu { bytes.append(UInt8(ascii: "Z")) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// 0001-01-01T00:00:00.000Z and 9999-12-31T23:59:59.999Z, in milliseconds since 1970.
    static let firstMs: Double = -62_135_596_800_000
    static let lastMs: Double = 253_402_300_799_999

    private static func floorDivide(_ a: Int, _ b: Int) -> (Int, Int) {
        let quotient = a >= 0 ? a / b : -((-a + b - 1) / b)
        return (quotient, a - quotient * b)
    }

    /// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's civil_from_days).
    private static func civil(fromDays days: Int) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthPrime = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthPrime + 2) / 5 + 1
        let month = monthPrime < 10 ? monthPrime + 3 : monthPrime - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
