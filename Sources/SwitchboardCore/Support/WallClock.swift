import Foundation

/// Where the gateway reads the calendar time it stamps and counts windows from. Injected so that tests can run the
/// gateway at any date (a year ahead, say) instead of depending on the day they run.
public struct WallClock: Sendable {
    private let read: @Sendable () -> Date

    public init(_ read: @escaping @Sendable () -> Date) { self.read = read }

    public func now() -> Date { read() }

    public static let system = WallClock { Date() }

    /// The system time shifted by `offset` seconds.
    public static func shifted(by offset: TimeInterval) -> WallClock {
        WallClock { Date().addingTimeInterval(offset) }
    }
}
