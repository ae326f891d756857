import Foundation
import SwitchboardCore

/// Messages accepted now and sent later by the queue workers.
public protocol QueueStore: Sendable {
    /// Stores queued messages (status `queued`), in one transaction.
    func enqueue(_ messages: [QueuedMessage]) async throws
    /// Claims up to `limit` due messages for sending (status `sending`), in one transaction.
    func claimDue(now: Date, limit: Int) async throws -> [ClaimedMessage]
    /// Marks messages as handed to a provider; written before the call, so a crash can tell never-sent from maybe-sent.
    func markDispatchStarted(_ ids: [String], at: Date) async throws
    /// Marks messages as not yet handed to a provider: synchronous messages are stored as started (a crash leaves
    /// them `unknown`), and only those that must wait for a connection are unmarked while they wait.
    func markDispatchWaiting(_ ids: [String]) async throws
    /// Puts claimed messages back in the queue for later.
    func reschedule(_ items: [(id: String, notBefore: Date, countsAsAttempt: Bool)]) async throws
    func queuedCount() async throws -> Int
    /// When the earliest queued message is due, if any: a read, so idle workers do not write.
    func nextQueuedDueDate() async throws -> Date?
}

public struct QueuedMessage: Sendable, Hashable {
    public var message: NewMessage
    public var from: String?
    public var route: String?
    public var expiresAt: Date
    public init(message: NewMessage, from: String?, route: String?, expiresAt: Date) {
        self.message = message
        self.from = from
        self.route = route
        self.expiresAt = expiresAt
    }
}

public struct ClaimedMessage: Sendable, Hashable {
    public var id: String
    public var recipient: String
    public var kind: MessageKind
    /// The body as stored (`{"text": …}` or `{"template": …}`).
    public var body: String
    public var ref: String?
    public var ref1: String?
    public var ref2: String?
    public var from: String?
    public var route: String?
    public var expiresAt: Date
    /// Earlier tries that ended in a retryable failure.
    public var queueAttempts: Int
    public var createdAt: Date
}
