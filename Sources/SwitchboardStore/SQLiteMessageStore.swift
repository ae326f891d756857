import Foundation
import GRDB
import Logging
import SwitchboardCore

/// `MessageStore` on SQLite through GRDB.
public struct SQLiteMessageStore: MessageStore {
    let database: AppDatabase
    /// Identifies this process, so keys left in progress by a crashed one are recognised.
    private let bootId: String

    /// The hot writes (messages in, attempts, outcomes, queued messages) go through group commit.
    let coalescer: WriteCoalescer
    /// Where rows that cannot be decoded are reported.
    let logger: Logger

    public init(database: AppDatabase, bootId: String = UUID().uuidString, logger: Logger = Logger(label: "switchboard.store")) {
        self.database = database
        self.bootId = bootId
        self.coalescer = WriteCoalescer(writer: database.writer)
        self.logger = logger
    }

    public func beginIdempotent(key: String, requestHash: String, messageIds: [String], now: Date) async throws -> IdempotencyBegin {
        let bootId = self.bootId
        let ids = JSONValue.stringList(messageIds)
        return try await database.writer.write { db in
            if let existing = try IdempotencyRecord.fetchOne(db, key: key), existing.expiresAt.map({ $0 > now }) ?? true {
                guard existing.requestHash == requestHash else { return .mismatch }
                if existing.state == "completed", let status = existing.responseStatus, let body = existing.responseBody {
                    return .completed(status: status, body: body)
                }
                if existing.bootId == bootId { return .inProgress }
                let earlier = JSONValue.stringList(parsing: existing.messageIds) ?? []
                return .interrupted(messageIds: earlier)
            }
            try IdempotencyRecord(
                key: key, requestHash: requestHash, state: "in_progress", bootId: bootId, messageIds: ids,
                responseStatus: nil, responseBody: nil, createdAt: now, expiresAt: nil
            ).save(db)
            return .claimed
        }
    }

    public func insert(_ messages: [NewMessage]) async throws {
        try await coalescer.write { db in
            for message in messages { try SendPathWrites.insertMessage(db, message, status: .sending) }
        }
    }

    public func record(_ attempts: [NewAttempt]) async throws {
        guard !attempts.isEmpty else { return }
        try await coalescer.write { db in try SendPathWrites.appendAttempts(db, attempts) }
    }

    public func complete(_ completions: [MessageCompletion], attempts: [NewAttempt], idempotency: IdempotencyCompletion?) async throws {
        try await coalescer.write { db in
            try SendPathWrites.appendAttempts(db, attempts)
            for completion in completions { _ = try SendPathWrites.settle(db, completion) }
            if let idempotency, var key = try IdempotencyRecord.fetchOne(db, key: idempotency.key) {
                key.state = "completed"
                key.responseStatus = idempotency.responseStatus
                key.responseBody = idempotency.responseBody
                key.expiresAt = idempotency.expiresAt
                try key.update(db)
            }
        }
    }

    public func releaseIdempotency(key: String) async throws {
        _ = try await database.writer.write { db in try IdempotencyRecord.deleteOne(db, key: key) }
    }

    public func message(id: String) async throws -> StoredMessage? {
        let logger = self.logger
        return try await database.writer.read { db in
            guard let record = try Self.decodableOne(MessageRecord.filter(key: id), db, logger: logger) else { return nil }
            return try Self.assemble(record, db, logger: logger)
        }
    }

    public func messages(_ query: MessageQuery) async throws -> [StoredMessage] {
        let logger = self.logger
        return try await database.writer.read { db in
            var request = MessageRecord.all()
            if let to = query.to { request = request.filter(MessageRecord.Columns.recipient == to) }
            if let status = query.status { request = request.filter(MessageRecord.Columns.status == status.rawValue) }
            let ordered = request.order(MessageRecord.Columns.createdAt.desc, Column.rowID.desc).limit(query.limit)
            return try Self.decodable(ordered, db, logger: logger).map { try Self.assemble($0, db, logger: logger) }
        }
    }

    public func recoverInterrupted(now: Date) async throws -> Recovery {
        try await database.writer.write { db in
            var recovery = Recovery()
            // Queued messages never handed to a provider go back to the queue: nothing can have been sent.
            try db.execute(sql: """
                UPDATE message SET status = 'queued', updatedAt = ? WHERE status = 'sending' AND expiresAt IS NOT NULL AND dispatchStartedAt IS NULL
                """, arguments: [now])
            recovery.requeued = db.changesCount
            // Synchronous messages marked before no provider call: they never left, so they fail and may be sent again.
            let interrupted = try String.fetchAll(db, sql: """
                UPDATE message SET status = 'failed', errorCode = ?,
                errorMessage = 'the gateway stopped before this message reached a provider; it was not sent', updatedAt = ?
                WHERE status = 'sending' AND expiresAt IS NULL AND dispatchStartedAt IS NULL RETURNING id
                """, arguments: [MessageError.interrupted.rawValue, now])
            for id in interrupted {
                try StatusEventRecord(messageId: id, status: MessageStatus.failed.rawValue, source: "recovery", at: now).insert(db)
            }
            recovery.interrupted = interrupted.count
            try Self.releaseKeys(db, ofMessages: Set(interrupted))
            let stuck = try MessageRecord.filter(MessageRecord.Columns.status == MessageStatus.sending.rawValue).fetchAll(db)
            for var record in stuck {
                record.status = MessageStatus.unknown.rawValue
                record.errorCode = MessageError.statusUnknown.rawValue
                record.errorMessage = "the gateway stopped while this message was being sent; it may have reached the provider"
                record.updatedAt = now
                try record.update(db)
                try StatusEventRecord(messageId: record.id, status: MessageStatus.unknown.rawValue, source: "recovery", at: now).insert(db)
            }
            recovery.unknown = stuck.count
            return recovery
        }
    }

    /// Deletes the keys in progress whose every message is in `ids`: their requests sent nothing.
    private static func releaseKeys(_ db: Database, ofMessages ids: Set<String>) throws {
        guard !ids.isEmpty else { return }
        let open = try IdempotencyRecord.filter(Column("state") == "in_progress").fetchAll(db)
        for key in open {
            guard let messages = JSONValue.stringList(parsing: key.messageIds),
                  !messages.isEmpty, messages.allSatisfy(ids.contains) else { continue }
            try key.delete(db)
        }
    }

    public func probeWrite() async throws {
        try await database.writer.write { db in
            try db.execute(sql: "INSERT OR REPLACE INTO inboundEvent (key, receivedAt) VALUES ('store-probe', '2000-01-01 00:00:00.000')")
            try db.execute(sql: "DELETE FROM inboundEvent WHERE key = 'store-probe'")
        }
    }

    public func purgeIdempotency(now: Date) async throws -> Int {
        try await database.writer.write { db in
            try IdempotencyRecord.filter(IdempotencyRecord.Columns.expiresAt != nil && IdempotencyRecord.Columns.expiresAt < now).deleteAll(db)
        }
    }

    private static func assemble(_ record: MessageRecord, _ db: Database, logger: Logger) throws -> StoredMessage {
        let attempts = try decodable(
            AttemptRecord.filter(AttemptRecord.Columns.messageId == record.id).order(AttemptRecord.Columns.id), db, logger: logger)
        let history = try decodable(
            StatusEventRecord.filter(StatusEventRecord.Columns.messageId == record.id).order(StatusEventRecord.Columns.id), db, logger: logger)
        return StoredMessage(
            id: record.id, recipient: record.recipient, kind: MessageKind(rawValue: record.kind) ?? .text, body: record.body,
            status: MessageStatus(rawValue: record.status) ?? .unknown, route: record.route, account: record.account,
            provider: record.provider, providerMessageId: record.providerMessageId, errorCode: record.errorCode,
            errorMessage: record.errorMessage, providerCode: record.providerCode, ref: record.ref, ref1: record.ref1, ref2: record.ref2,
            createdAt: record.createdAt, updatedAt: record.updatedAt,
            // An attempt whose stored words no longer parse is left out of the answer, like any row that cannot be read.
            attempts: attempts.compactMap { row in
                guard let outcome = Attempt.Outcome(text: row.outcome), let decision = Attempt.Decision(text: row.decision) else { return nil }
                return Attempt(account: row.account, provider: row.provider, outcome: outcome, providerCode: row.providerCode, message: row.message,
                               providerMessageId: row.providerMessageId, durationMs: row.durationMs, decision: decision)
            },
            history: history.map { StatusEvent(status: $0.status, source: $0.source, at: $0.at) })
    }
}
