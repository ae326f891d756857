import Foundation
import GRDB

/// One row of `message`.
struct MessageRecord: Codable, Sendable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "message"
    var id: String
    var recipient: String
    var kind: String
    var body: String
    var status: String
    var route: String?
    var account: String?
    var provider: String?
    var providerMessageId: String?
    var errorCode: String?
    var errorMessage: String?
    var providerCode: String?
    var ref: String?
    var ref1: String?
    var ref2: String?
    var createdAt: Date
    var updatedAt: Date

    enum Columns {
        static let id = Column(CodingKeys.id)
        static let recipient = Column(CodingKeys.recipient)
        static let status = Column(CodingKeys.status)
        static let createdAt = Column(CodingKeys.createdAt)
    }
}

/// One row of `attempt`.
struct AttemptRecord: Codable, Sendable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "attempt"
    var id: Int64?
    var messageId: String
    var account: String
    var provider: String
    var outcome: String
    var providerCode: String?
    var message: String?
    var providerMessageId: String?
    var durationMs: Int
    var decision: String
    var at: Date

    enum Columns {
        static let messageId = Column(CodingKeys.messageId)
        static let id = Column(CodingKeys.id)
    }
}

/// One row of `statusEvent`: a message's status history.
struct StatusEventRecord: Codable, Sendable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "statusEvent"
    var id: Int64?
    var messageId: String
    var status: String
    var source: String
    var at: Date

    enum Columns {
        static let messageId = Column(CodingKeys.messageId)
        static let id = Column(CodingKeys.id)
    }
}

/// One row of `idempotencyKey`.
struct IdempotencyRecord: Codable, Sendable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "idempotencyKey"
    var key: String
    var requestHash: String
    /// "in_progress" or "completed".
    var state: String
    /// Which process claimed it: a key in progress under another boot was cut off by a crash.
    var bootId: String
    /// JSON array of the request's message ids.
    var messageIds: String
    var responseStatus: Int?
    var responseBody: Data?
    var createdAt: Date
    var expiresAt: Date?

    enum Columns {
        static let state = Column(CodingKeys.state)
        static let expiresAt = Column(CodingKeys.expiresAt)
    }
}
