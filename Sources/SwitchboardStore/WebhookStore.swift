import Foundation

/// App webhook subscriptions and their durable outbox.
public protocol WebhookStore: Sendable {
    func createWebhook(url: String, events: [String], secret: String, at: Date) async throws -> Webhook
    func webhooks() async throws -> [Webhook]
    func deleteWebhook(id: String) async throws -> Bool
    func deliveries(webhookId: String, limit: Int) async throws -> [WebhookDeliveryView]?
    /// Pending deliveries whose time has come, oldest first.
    func dueDeliveries(now: Date, limit: Int) async throws -> [DueDelivery]
    /// Records one attempt and schedules the next per `WebhookRetrySchedule`; 410 disables the endpoint.
    func recordDeliveryAttempt(deliveryId: Int64, statusCode: Int?, error: String?, retryAfterSeconds: Int?, durationMs: Int, now: Date) async throws
}

public struct Webhook: Sendable, Hashable {
    public var id: String
    public var url: String
    public var events: [String]
    public var secret: String
    public var createdAt: Date
    public var disabledAt: Date?
}

public struct WebhookDeliveryView: Sendable, Hashable {
    public struct AttemptView: Sendable, Hashable {
        public var at: Date
        public var statusCode: Int?
        public var error: String?
        public var durationMs: Int
    }
    public var id: Int64
    public var eventId: String
    public var eventType: String
    public var status: String
    public var attempts: [AttemptView]
    public var nextAttemptAt: Date?
    public var createdAt: Date
}

public struct DueDelivery: Sendable, Hashable {
    public var id: Int64
    public var webhookId: String
    public var url: String
    public var secret: String
    public var eventId: String
    public var payload: Data
    public var attemptsMade: Int
}

/// The events apps can subscribe to.
public enum WebhookEventType: String, Sendable, CaseIterable {
    case messageReceived = "message.received"
    case messageStatus = "message.status"
    case messageOptout = "message.optout"
    case messageFailed = "message.failed"
}

/// Everything the gateway keeps.
public protocol GatewayStore: MessageStore, InboxStore, WebhookStore, QueueStore {
    /// Writes a send's messages and reads its customers' conversation states in the same transaction: one trip to the
    /// writer where `insert` then `conversationStates` would make two.
    func insert(_ messages: [NewMessage], readingStatesOf customers: [String]) async throws -> [String: CustomerState]
}

extension SQLiteMessageStore: GatewayStore {
    public func insert(_ messages: [NewMessage], readingStatesOf customers: [String]) async throws -> [String: CustomerState] {
        let logger = self.logger
        return try await coalescer.write(returning: { db in
            for message in messages { try SendPathWrites.insertMessage(db, message, status: .sending) }
            return try Self.conversationStates(db, customers: customers, logger: logger)
        })
    }
}
