import Foundation
import GRDB
import SwitchboardCore

/// The rows every send writes, as cached prepared statements with positional arguments. Record types would encode
/// each row through Codable, generate its SQL and format its dates with a DateFormatter, which cost more than SQLite's
/// own work; these statements are prepared once per connection. Dates are stored in GRDB's own text form.
enum SendPathWrites {
    static func text(_ date: Date) -> String { CivilTime(date, rounding: .toNearestOrAwayFromZero).sqliteText }

    /// A synchronous message, stored as if its dispatch had started: one that must wait for a provider connection is
    /// unmarked while it waits (`markDispatchWaiting`), so the common path writes nothing more before its call.
    static func insertMessage(_ db: Database, _ message: NewMessage, status: MessageStatus) throws {
        let statement = try db.cachedStatement(sql: """
            INSERT INTO message (id, recipient, kind, body, status, ref, ref1, ref2, createdAt, updatedAt, dispatchStartedAt)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        let at = text(message.createdAt)
        try statement.execute(arguments: [
            message.id, message.recipient, message.kind.rawValue, message.body, status.rawValue, message.ref, message.ref1, message.ref2, at, at, at,
        ])
        try appendStatus(db, messageId: message.id, status: status.rawValue, source: "gateway", at: message.createdAt)
    }

    static func insertQueued(_ db: Database, _ queued: QueuedMessage) throws {
        let statement = try db.cachedStatement(sql: """
            INSERT INTO message (id, recipient, kind, body, status, ref, ref1, ref2, createdAt, updatedAt, pinFrom, pinRoute, notBefore, expiresAt, queueAttempts)
            VALUES (?, ?, ?, ?, 'queued', ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)
            """)
        let message = queued.message
        let at = text(message.createdAt)
        try statement.execute(arguments: [
            message.id, message.recipient, message.kind.rawValue, message.body, message.ref, message.ref1, message.ref2,
            at, at, queued.from, queued.route, at, text(queued.expiresAt),
        ])
        try appendStatus(db, messageId: message.id, status: MessageStatus.queued.rawValue, source: "gateway", at: message.createdAt)
    }

    static func appendStatus(_ db: Database, messageId: String, status: String, source: String, at: Date) throws {
        let statement = try db.cachedStatement(sql: "INSERT INTO statusEvent (messageId, status, source, at) VALUES (?, ?, ?, ?)")
        try statement.execute(arguments: [messageId, status, source, text(at)])
    }

    static func appendAttempts(_ db: Database, _ attempts: [NewAttempt]) throws {
        guard !attempts.isEmpty else { return }
        let statement = try db.cachedStatement(sql: """
            INSERT INTO attempt (messageId, account, provider, outcome, providerCode, message, providerMessageId, durationMs, decision, at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for entry in attempts {
            let attempt = entry.attempt
            try statement.execute(arguments: [
                entry.messageId, attempt.account, attempt.provider, attempt.outcome.text, attempt.providerCode, attempt.message,
                attempt.providerMessageId, attempt.durationMs, attempt.decision.text, text(entry.at),
            ])
        }
    }

    /// Writes a message's outcome, its history entry, and what follows from it: the conversation's outbound entry for
    /// a message that left, `message.failed` for one that failed. False if there is no such message.
    static func settle(_ db: Database, _ completion: MessageCompletion) throws -> Bool {
        let statement = try db.cachedStatement(sql: """
            UPDATE message SET status = ?, route = ?, account = ?, provider = ?, providerMessageId = ?, errorCode = ?, errorMessage = ?,
            providerCode = ?, updatedAt = ? WHERE id = ? RETURNING recipient, kind, body
            """)
        let at = text(completion.at)
        guard let row = try Row.fetchOne(statement, arguments: [
            completion.status.rawValue, completion.route, completion.account, completion.provider, completion.providerMessageId,
            completion.errorCode?.rawValue, completion.errorMessage, completion.providerCode, at, completion.messageId,
        ]) else { return false }
        try appendStatus(db, messageId: completion.messageId, status: completion.status.rawValue, source: "gateway", at: completion.at)
        let recipient: String = row[0]
        let kind: String = row[1]
        let body: String = row[2]
        switch completion.status {
        case .accepted, .sent:
            guard let account = completion.account, let provider = completion.provider else { return true }
            let conversation = try db.cachedStatement(sql: """
                INSERT INTO conversationMessage (id, customer, account, provider, direction, kind, body, messageId, providerMessageId, at)
                VALUES (?, ?, ?, ?, 'out', ?, ?, ?, ?, ?)
                """)
            try conversation.execute(arguments: [
                completion.messageId, recipient, account, provider, kind, Self.bodyText(body), completion.messageId, completion.providerMessageId, at,
            ])
            let customer = try db.cachedStatement(sql: """
                INSERT INTO customer (phone, optedOut, lastMessageAt, lastDirection) VALUES (?, 0, ?, 'out')
                ON CONFLICT(phone) DO UPDATE SET lastMessageAt = excluded.lastMessageAt, lastDirection = 'out'
                """)
            try customer.execute(arguments: [recipient, at])
        case .failed:
            try Outbox.enqueue(db, type: .messageFailed, data: [
                "messageId": completion.messageId, "to": "+" + recipient, "status": completion.status.rawValue, "account": completion.account,
                "provider": completion.provider, "errorCode": completion.errorCode?.rawValue, "errorMessage": completion.errorMessage,
                "providerCode": completion.providerCode,
            ], at: completion.at)
        default:
            break
        }
        return true
    }

    /// The text of a stored `{"text": …}` body; nil for templates.
    static func bodyText(_ stored: String) -> String? {
        guard case .string(let text)? = JSONValue.parse(stored.utf8)?["text"] else { return nil }
        return text
    }
}
