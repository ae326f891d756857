import Foundation

/// WhatsApp's 24-hour customer-service window: free-form text may go to a customer on a line they wrote to in the
/// last 24 hours; otherwise only a template may.
public enum ConversationWindow {
    public static let length: TimeInterval = 24 * 3600

    /// When a window opened by a customer's message at `lastInbound` closes.
    public static func closes(after lastInbound: Date) -> Date { lastInbound.addingTimeInterval(length) }

    /// The accounts whose window is open at `now`.
    public static func openAccounts(_ lastInbound: [String: Date], now: Date) -> Set<String> {
        Set(lastInbound.filter { now < closes(after: $0.value) }.keys)
    }

    /// The windows open at `now` with when each closes, the one that stays open longest first.
    public static func open(_ lastInbound: [(account: String, at: Date)], now: Date) -> [(account: String, until: Date)] {
        lastInbound.map { ($0.account, closes(after: $0.at)) }.filter { $0.1 > now }.sorted { $0.1 > $1.1 }
            .map { (account: $0.0, until: $0.1) }
    }
}
