import Foundation
import GRDB
import Logging
import SwitchboardCore

extension SQLiteMessageStore: QueueStore {
    public func enqueue(_ messages: [QueuedMessage]) async throws {
        try await coalescer.write { db in
            for queued in messages { try SendPathWrites.insertQueued(db, queued) }
        }
    }

    public func claimDue(now: Date, limit: Int) async throws -> [ClaimedMessage] {
        let logger = self.logger
        return try await database.writer.write { db in
            let rows = try Row.fetchAll(db, sql: """
                UPDATE message SET status = 'sending', updatedAt = ?
                WHERE id IN (SELECT id FROM message WHERE status = 'queued' AND notBefore <= ? ORDER BY notBefore LIMIT ?)
                RETURNING id, recipient, kind, body, ref, ref1, ref2, pinFrom, pinRoute, expiresAt, queueAttempts, createdAt
                """, arguments: [now, now, limit])
            // By position, in RETURNING's order: a lookup by name lowercases the name for every column of every row.
            var claimed: [ClaimedMessage] = []
            var unreadable: [String] = []
            for row in rows {
                do {
                    claimed.append(ClaimedMessage(
                        id: try row.decode(atIndex: 0), recipient: try row.decode(atIndex: 1),
                        kind: MessageKind(rawValue: try row.decode(atIndex: 2)) ?? .text, body: try row.decode(atIndex: 3),
                        ref: try row.decode(atIndex: 4), ref1: try row.decode(atIndex: 5), ref2: try row.decode(atIndex: 6),
                        from: try row.decode(atIndex: 7), route: try row.decode(atIndex: 8), expiresAt: try row.decode(atIndex: 9),
                        queueAttempts: try row.decode(atIndex: 10), createdAt: try row.decode(atIndex: 11)))
                } catch {
                    if let id = try? row.decode(String.self, atIndex: 0) { unreadable.append(id) }
                }
            }
            // A message that cannot be read back cannot be sent; failing it keeps it from being claimed forever.
            for id in unreadable {
                try db.execute(sql: """
                    UPDATE message SET status = 'failed', errorCode = ?,
                    errorMessage = 'the stored message could not be read', updatedAt = ? WHERE id = ?
                    """, arguments: [MessageError.internalError.rawValue, now, id])
            }
            if !unreadable.isEmpty { Self.logUnreadable(MessageRecord.databaseTableName, count: unreadable.count, logger: logger) }
            return claimed.sorted { $0.createdAt < $1.createdAt }
        }
    }

    public func markDispatchStarted(_ ids: [String], at: Date) async throws {
        guard !ids.isEmpty else { return }
        // Group commit, so that synchronous sends marking theirs after a wait share commits.
        try await coalescer.write { db in
            try db.execute(sql: "UPDATE message SET dispatchStartedAt = ? WHERE id IN (\(databaseQuestionMarks(count: ids.count)))",
                           arguments: StatementArguments([at] + ids.map { $0 as (any DatabaseValueConvertible) }))
        }
    }

    public func markDispatchWaiting(_ ids: [String]) async throws {
        guard !ids.isEmpty else { return }
        try await coalescer.write { db in
            try db.execute(sql: "UPDATE message SET dispatchStartedAt = NULL WHERE id IN (\(databaseQuestionMarks(count: ids.count)))",
                           arguments: StatementArguments(ids))
        }
    }

    public func reschedule(_ items: [(id: String, notBefore: Date, countsAsAttempt: Bool)]) async throws {
        guard !items.isEmpty else { return }
        try await database.writer.write { db in
            for item in items {
                try db.execute(sql: """
                    UPDATE message SET status = 'queued', notBefore = ?, dispatchStartedAt = NULL, updatedAt = ?,
                    queueAttempts = queueAttempts + ? WHERE id = ?
                    """, arguments: [item.notBefore, Date(), item.countsAsAttempt ? 1 : 0, item.id])
            }
        }
    }

    public func nextQueuedDueDate() async throws -> Date? {
        try await database.writer.read { db in
            try Date.fetchOne(db, sql: "SELECT MIN(notBefore) FROM message WHERE status = 'queued'")
        }
    }

    public func queuedCount() async throws -> Int {
        try await database.writer.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM message WHERE status = 'queued'") ?? 0 }
    }
}

extension AppDatabase {
    static func registerQueueMigration(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v3-queue") { db in
            try db.alter(table: "message") { table in
                table.add(column: "pinFrom", .text)
                table.add(column: "pinRoute", .text)
                table.add(column: "notBefore", .datetime)
                table.add(column: "expiresAt", .datetime)
                table.add(column: "queueAttempts", .integer).notNull().defaults(to: 0)
                table.add(column: "dispatchStartedAt", .datetime)
            }
            try db.create(index: "message_on_queue", on: "message", columns: ["status", "notBefore"])
        }
    }
}
