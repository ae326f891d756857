import Foundation
import GRDB

/// One row of `conversationMessage`: either direction, across providers.
struct ConversationMessageRecord: Codable, Sendable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "conversationMessage"
    var id: String
    var customer: String
    var account: String
    var provider: String
    var direction: String
    var kind: String
    var body: String?
    var messageId: String?
    var providerMessageId: String?
    var at: Date

    enum Columns {
        static let customer = Column(CodingKeys.customer)
        static let at = Column(CodingKeys.at)
    }
}

/// One row of `conversationWindow`: when a customer last wrote to an account.
struct ConversationWindowRecord: Codable, Sendable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "conversationWindow"
    var customer: String
    var account: String
    var lastInboundAt: Date

    enum Columns {
        static let customer = Column(CodingKeys.customer)
    }
}

/// One row of `customer`.
struct CustomerRecord: Codable, Sendable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "customer"
    var phone: String
    var optedOut: Bool
    var lastMessageAt: Date
    var lastDirection: String

    enum Columns {
        static let lastMessageAt = Column(CodingKeys.lastMessageAt)
    }
}

/// One row of `inboundEvent`: provider callbacks already handled.
struct InboundEventRecord: Codable, Sendable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "inboundEvent"
    var key: String
    var receivedAt: Date
}

/// One row of `webhook`.
struct WebhookRecord: Codable, Sendable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "webhook"
    var id: String
    var url: String
    /// JSON array; empty means every event.
    var events: String
    var secret: String
    var createdAt: Date
    var disabledAt: Date?
    var deletedAt: Date?

    enum Columns {
        static let deletedAt = Column(CodingKeys.deletedAt)
        static let disabledAt = Column(CodingKeys.disabledAt)
        static let createdAt = Column(CodingKeys.createdAt)
    }
}

/// One row of `webhookDelivery`: the outbox.
struct WebhookDeliveryRecord: Codable, Sendable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "webhookDelivery"
    var id: Int64?
    var webhookId: String
    var eventId: String
    var eventType: String
    var payload: Data
    /// pending, delivered, failed, disabled.
    var status: String
    var attempts: Int
    var nextAttemptAt: Date?
    var createdAt: Date

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    enum Columns {
        static let id = Column(CodingKeys.id)
        static let webhookId = Column(CodingKeys.webhookId)
        static let status = Column(CodingKeys.status)
        static let nextAttemptAt = Column(CodingKeys.nextAttemptAt)
    }
}

/// One row of `webhookAttempt`.
struct WebhookAttemptRecord: Codable, Sendable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "webhookAttempt"
    var id: Int64?
    var deliveryId: Int64
    var at: Date
    var statusCode: Int?
    var error: String?
    var durationMs: Int

    enum Columns {
        static let deliveryId = Column(CodingKeys.deliveryId)
        static let id = Column(CodingKeys.id)
    }
}

extension AppDatabase {
    static func registerInboxMigration(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v2-inbox-webhooks") { db in
            try db.create(table: "conversationMessage") { table in
                table.primaryKey("id", .text)
                table.column("customer", .text).notNull()
                table.column("account", .text).notNull()
                table.column("provider", .text).notNull()
                table.column("direction", .text).notNull()
                table.column("kind", .text).notNull()
                table.column("body", .text)
                table.column("messageId", .text)
                table.column("providerMessageId", .text)
                table.column("at", .datetime).notNull()
            }
            try db.create(index: "conversationMessage_on_customer_at", on: "conversationMessage", columns: ["customer", "at"])
            try db.create(table: "conversationWindow") { table in
                table.column("customer", .text).notNull()
                table.column("account", .text).notNull()
                table.column("lastInboundAt", .datetime).notNull()
                table.primaryKey(["customer", "account"])
            }
            try db.create(table: "customer") { table in
                table.primaryKey("phone", .text)
                table.column("optedOut", .boolean).notNull().defaults(to: false)
                table.column("lastMessageAt", .datetime).notNull()
                table.column("lastDirection", .text).notNull()
            }
            try db.create(index: "customer_on_lastMessageAt", on: "customer", columns: ["lastMessageAt"])
            try db.create(table: "inboundEvent") { table in
                table.primaryKey("key", .text)
                table.column("receivedAt", .datetime).notNull()
            }
            try db.create(table: "webhook") { table in
                table.primaryKey("id", .text)
                table.column("url", .text).notNull()
                table.column("events", .text).notNull()
                table.column("secret", .text).notNull()
                table.column("createdAt", .datetime).notNull()
                table.column("disabledAt", .datetime)
                table.column("deletedAt", .datetime)
            }
            try db.create(table: "webhookDelivery") { table in
                table.autoIncrementedPrimaryKey("id")
                table.column("webhookId", .text).notNull().references("webhook").indexed()
                table.column("eventId", .text).notNull()
                table.column("eventType", .text).notNull()
                table.column("payload", .blob).notNull()
                table.column("status", .text).notNull()
                table.column("attempts", .integer).notNull()
                table.column("nextAttemptAt", .datetime)
                table.column("createdAt", .datetime).notNull()
                table.uniqueKey(["webhookId", "eventId"])
            }
            try db.create(index: "webhookDelivery_on_status_next", on: "webhookDelivery", columns: ["status", "nextAttemptAt"])
            try db.create(table: "webhookAttempt") { table in
                table.autoIncrementedPrimaryKey("id")
                table.column("deliveryId", .integer).notNull().references("webhookDelivery", onDelete: .cascade).indexed()
                table.column("at", .datetime).notNull()
                table.column("statusCode", .integer)
                table.column("error", .text)
                table.column("durationMs", .integer).notNull()
            }
        }
    }
}
