import Foundation
import SwitchboardCore

/// Inbound events, delivery statuses, conversations and the 24-hour window. Every change that apps hear about writes
/// its webhook events to the outbox in the same transaction.
public protocol InboxStore: Sendable {
    /// Applies a provider status to the message it belongs to, moving only forward. Duplicates (same event key) are no-ops.
    func applyStatus(_ report: StatusReport) async throws -> StatusUpdate
    /// Records a customer's message, opens the window with that account, and lifts an opt-out. False if a duplicate.
    func recordInbound(_ message: InboundMessage) async throws -> Bool
    func recordOptOut(customer: String, account: String, provider: String, at: Date, eventKey: String?) async throws -> Bool
    /// Forgets the de-duplication keys of callbacks stamped before `before`; a provider redelivering one after that
    /// is handled again. Returns how many.
    func purgeInboundEvents(before: Date) async throws -> Int

    /// Opt-out and when each customer last wrote to each account, for several customers in one read.
    func conversationStates(customers: [String]) async throws -> [String: CustomerState]
    /// The customers who wrote or were written to last, with the windows still open at `now`.
    func conversations(limit: Int, now: Date) async throws -> [ConversationSummary]
    func thread(customer: String, limit: Int) async throws -> [ConversationEntry]
}

public struct StatusReport: Sendable, Hashable {
    public var provider: String
    public var account: String
    public var providerMessageId: String
    public var status: MessageStatus
    /// The provider's own word, kept in the history.
    public var providerStatus: String
    public var at: Date
    /// Identifies the callback for de-duplication (provider event id, or id+status).
    public var eventKey: String
    public init(provider: String, account: String, providerMessageId: String, status: MessageStatus, providerStatus: String, at: Date, eventKey: String) {
        self.provider = provider
        self.account = account
        self.providerMessageId = providerMessageId
        self.status = status
        self.providerStatus = providerStatus
        self.at = at
        self.eventKey = eventKey
    }
}

public enum StatusUpdate: Sendable, Hashable {
    case applied(messageId: String, from: MessageStatus, to: MessageStatus)
    /// The message is already at or past this status.
    case unchanged(messageId: String, status: MessageStatus)
    /// The id belongs to an attempt the engine moved on from; the message's outcome stands.
    case abandonedAttempt(messageId: String)
    case duplicate
    case unknownMessage
}

public struct InboundMessage: Sendable, Hashable {
    public var customer: String
    public var account: String
    public var provider: String
    public var line: String?
    public var text: String?
    public var type: String
    public var name: String?
    public var mediaURL: String?
    public var providerMessageId: String?
    public var at: Date
    public var eventKey: String?
    public init(customer: String, account: String, provider: String, line: String?, text: String?, type: String, name: String?,
                mediaURL: String?, providerMessageId: String?, at: Date, eventKey: String?) {
        self.customer = customer
        self.account = account
        self.provider = provider
        self.line = line
        self.text = text
        self.type = type
        self.name = name
        self.mediaURL = mediaURL
        self.providerMessageId = providerMessageId
        self.at = at
        self.eventKey = eventKey
    }
}

public struct CustomerState: Sendable, Hashable {
    public var optedOut: Bool
    public var lastInbound: [String: Date]
    public init(optedOut: Bool = false, lastInbound: [String: Date] = [:]) {
        self.optedOut = optedOut
        self.lastInbound = lastInbound
    }
}

public struct ConversationSummary: Sendable, Hashable {
    public var customer: String
    public var lastMessageAt: Date
    public var lastDirection: String
    public var optedOut: Bool
    /// Accounts whose window with this customer is still open, with when it closes.
    public var openWindows: [(account: String, until: Date)]

    public static func == (lhs: ConversationSummary, rhs: ConversationSummary) -> Bool {
        lhs.customer == rhs.customer && lhs.lastMessageAt == rhs.lastMessageAt && lhs.openWindows.map(\.account) == rhs.openWindows.map(\.account)
    }
    public func hash(into hasher: inout Hasher) { hasher.combine(customer) }
}

public struct ConversationEntry: Sendable, Hashable {
    public var id: String
    public var direction: String
    public var account: String
    public var provider: String
    public var kind: String
    public var body: String?
    public var messageId: String?
    public var status: String?
    public var at: Date
}
