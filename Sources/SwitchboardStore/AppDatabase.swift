import Foundation
import GRDB

/// The gateway's SQLite database: one writer, its schema kept by a migrator.
public struct AppDatabase: Sendable {
    let writer: any DatabaseWriter
    /// A connection of its own for WAL checkpoints, so they run beside the writer instead of inside its commits.
    private let checkpointer: DatabaseQueue?

    init(_ writer: any DatabaseWriter, checkpointer: DatabaseQueue? = nil) throws {
        self.writer = writer
        self.checkpointer = checkpointer
        try Self.migrator.migrate(writer)
    }

    /// Copies committed WAL frames into the database file without blocking the writer or readers (a passive
    /// checkpoint). Under steady writes a passive checkpoint never catches up with the last frame, so it cannot let
    /// the WAL start over; the writer does that itself at `autoCheckpointPages`, copying only what is left.
    /// Returns the WAL's frame count, which changes when anything was written since the last call.
    @discardableResult
    public func checkpoint() async throws -> Int {
        guard let checkpointer else { return 0 }
        return try await checkpointer.writeWithoutTransaction { db in try db.checkpoint(.passive).walFrameCount }
    }

    /// WAL pages after which a commit checkpoints by itself and the WAL starts over. That commit waits for two fsyncs,
    /// so the cap sets how often a send stalls under sustained load (figures: bench/RESULTS.md).
    static let autoCheckpointPages = 160_000

    /// The cap for a file whose pages are `pageSize` bytes: the same WAL size as `autoCheckpointPages` of ours.
    static func autoCheckpointPages(for pageSize: Int) -> Int {
        autoCheckpointPages * Self.pageSize / max(pageSize, 512)
    }

    /// Page size of a database this creates; an existing file keeps its own (SQLite fixes it at creation in WAL mode).
    /// A commit writes one WAL frame per B-tree page it touches, and a send's rows are far smaller than a page, so
    /// small pages cut the bytes written and checkpointed per send (figures: bench/RESULTS.md).
    static let pageSize = 1024

    /// A file database in WAL mode, for production. It holds webhook signing secrets and message content, so the file
    /// is owner-only (0600; SQLite gives its -wal and -shm files the same mode) and a folder made for it is 0700.
    public static func open(path: String) throws -> AppDatabase {
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty, !FileManager.default.fileExists(atPath: directory) {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
        try restrictToOwner(path)
        var configuration = Configuration()
        configuration.busyMode = .timeout(5)
        configuration.prepareDatabase { db in
            // Deleted content (a webhook's secret) is overwritten, not left in free space.
            try db.execute(sql: "PRAGMA secure_delete = FAST")
            // Runs before DatabasePool sets WAL, so a new file gets these pages; for an existing one it is a no-op.
            try db.execute(sql: "PRAGMA page_size = \(pageSize)")
            // WAL is set by DatabasePool; NORMAL sync is durable across process crashes in WAL mode.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            let filePageSize = try Int.fetchOne(db, sql: "PRAGMA page_size") ?? pageSize
            try db.execute(sql: "PRAGMA wal_autocheckpoint = \(autoCheckpointPages(for: filePageSize))")
        }
        let pool = try DatabasePool(path: path, configuration: configuration)
        var checkpointing = Configuration()
        checkpointing.busyMode = .timeout(5)
        return try AppDatabase(pool, checkpointer: DatabaseQueue(path: path, configuration: checkpointing))
    }

    /// Creates the file owner-only if it is missing, and makes it (and its -wal and -shm, if present) owner-only if not.
    static func restrictToOwner(_ path: String) throws {
        let manager = FileManager.default
        if !manager.fileExists(atPath: path) {
            guard manager.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
                throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path])
            }
        }
        for file in [path, path + "-wal", path + "-shm"] where manager.fileExists(atPath: file) {
            try manager.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file)
        }
    }

    /// An in-memory database, for tests.
    public static func inMemory() throws -> AppDatabase {
        try AppDatabase(DatabaseQueue())
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.create(table: "message") { table in
                table.primaryKey("id", .text)
                table.column("recipient", .text).notNull()
                table.column("kind", .text).notNull()
                table.column("body", .text).notNull()
                table.column("status", .text).notNull()
                table.column("route", .text)
                table.column("account", .text)
                table.column("provider", .text)
                table.column("providerMessageId", .text)
                table.column("errorCode", .text)
                table.column("errorMessage", .text)
                table.column("providerCode", .text)
                table.column("ref", .text)
                table.column("ref1", .text)
                table.column("ref2", .text)
                table.column("createdAt", .datetime).notNull()
                table.column("updatedAt", .datetime).notNull()
            }
            try db.create(index: "message_on_recipient_createdAt", on: "message", columns: ["recipient", "createdAt"])
            try db.create(index: "message_on_status_createdAt", on: "message", columns: ["status", "createdAt"])
            try db.create(index: "message_on_createdAt", on: "message", columns: ["createdAt"])
            try db.create(index: "message_on_providerMessageId", on: "message", columns: ["providerMessageId"])
            try db.create(table: "attempt") { table in
                table.autoIncrementedPrimaryKey("id")
                table.column("messageId", .text).notNull().references("message", onDelete: .cascade).indexed()
                table.column("account", .text).notNull()
                table.column("provider", .text).notNull()
                table.column("outcome", .text).notNull()
                table.column("providerCode", .text)
                table.column("message", .text)
                table.column("providerMessageId", .text)
                table.column("durationMs", .integer).notNull()
                table.column("decision", .text).notNull()
                table.column("at", .datetime).notNull()
            }
            try db.create(table: "statusEvent") { table in
                table.autoIncrementedPrimaryKey("id")
                table.column("messageId", .text).notNull().references("message", onDelete: .cascade).indexed()
                table.column("status", .text).notNull()
                table.column("source", .text).notNull()
                table.column("at", .datetime).notNull()
            }
            try db.create(table: "idempotencyKey") { table in
                table.primaryKey("key", .text)
                table.column("requestHash", .text).notNull()
                table.column("state", .text).notNull()
                table.column("bootId", .text).notNull()
                table.column("messageIds", .text).notNull()
                table.column("responseStatus", .integer)
                table.column("responseBody", .blob)
                table.column("createdAt", .datetime).notNull()
                table.column("expiresAt", .datetime)
            }
        }
        registerInboxMigration(&migrator)
        registerQueueMigration(&migrator)
        migrator.registerMigration("v4-partial-indexes") { db in
            // Rows without a provider id, and messages not queued, stay out of these indexes: a sync send's two
            // commits no longer touch them, which is fewer WAL pages per message.
            try db.execute(sql: """
                DROP INDEX message_on_providerMessageId;
                CREATE INDEX message_on_providerMessageId ON message(providerMessageId) WHERE providerMessageId IS NOT NULL;
                DROP INDEX message_on_queue;
                CREATE INDEX message_on_queue ON message(status, notBefore) WHERE status = 'queued';
                """)
        }
        migrator.registerMigration("v5-history-without-autoincrement") { db in
            // AUTOINCREMENT rewrites sqlite_sequence on every insert: one more WAL page in each of a send's two
            // commits. Plain rowids still grow with each insert (one could come back only if the newest rows were
            // deleted, and messages are never deleted); nothing outside these tables refers to the ids.
            try db.execute(sql: """
                CREATE TABLE attempt_v5 (
                  id INTEGER PRIMARY KEY,
                  messageId TEXT NOT NULL REFERENCES message(id) ON DELETE CASCADE,
                  account TEXT NOT NULL, provider TEXT NOT NULL, outcome TEXT NOT NULL, providerCode TEXT, message TEXT,
                  providerMessageId TEXT, durationMs INTEGER NOT NULL, decision TEXT NOT NULL, at DATETIME NOT NULL);
                INSERT INTO attempt_v5 SELECT id, messageId, account, provider, outcome, providerCode, message,
                  providerMessageId, durationMs, decision, at FROM attempt;
                DROP TABLE attempt;
                ALTER TABLE attempt_v5 RENAME TO attempt;
                CREATE INDEX attempt_on_messageId ON attempt(messageId);
                CREATE TABLE statusEvent_v5 (
                  id INTEGER PRIMARY KEY,
                  messageId TEXT NOT NULL REFERENCES message(id) ON DELETE CASCADE,
                  status TEXT NOT NULL, source TEXT NOT NULL, at DATETIME NOT NULL);
                INSERT INTO statusEvent_v5 SELECT id, messageId, status, source, at FROM statusEvent;
                DROP TABLE statusEvent;
                ALTER TABLE statusEvent_v5 RENAME TO statusEvent;
                CREATE INDEX statusEvent_on_messageId ON statusEvent(messageId);
                DELETE FROM sqlite_sequence WHERE name IN ('attempt', 'statusEvent');
                """)
        }
        migrator.registerMigration("v6-attempt-provider-id") { db in
            // A status report whose provider id matches no message is looked up among attempts (an abandoned one may
            // have it). Without an index that was a scan of every attempt ever made, inside a write transaction, for
            // each such report: 103 ms at a million attempts, with every send waiting. Costs 0.9 WAL pages a send.
            try db.execute(sql: """
                CREATE INDEX attempt_on_providerMessageId ON attempt(providerMessageId) WHERE providerMessageId IS NOT NULL
                """)
        }
        migrator.registerMigration("v7-retention-indexes") { db in
            // The retention purges run inside write transactions every few minutes; without these they scanned the
            // whole table each time (a day of idempotency keys; every callback ever received).
            try db.execute(sql: """
                CREATE INDEX idempotencyKey_on_expiresAt ON idempotencyKey(expiresAt) WHERE expiresAt IS NOT NULL;
                CREATE INDEX inboundEvent_on_receivedAt ON inboundEvent(receivedAt);
                """)
        }
        return migrator
    }
}
