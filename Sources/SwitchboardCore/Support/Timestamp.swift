import Foundation

/// How the gateway writes instants in JSON: ISO 8601, UTC, with milliseconds (`2026-11-23T05:42:07.304Z`).
public enum Timestamp {
    public static func iso8601(_ date: Date) -> String { CivilTime(date).iso8601 }
}
