import Foundation
import GRDB
@testable import SwitchboardStore
import Testing

/// Migrations, and opening a file an older version made, keep what an older database holds.
@Suite struct MigrationTests {
    @Test func historyTablesLoseAutoincrementAndKeepTheirRows() throws {
        let queue = try DatabaseQueue()
        try AppDatabase.migrator.migrate(queue, upTo: "v4-partial-indexes")
        try queue.write { db in
            try db.execute(sql: """
                INSERT INTO message (id, recipient, kind, body, status, createdAt, updatedAt)
                  VALUES ('msg_a', '15551234567', 'text', '{"text":"hi"}', 'sent', '2026-01-01 00:00:00.000', '2026-01-01 00:00:00.000');
                INSERT INTO attempt (id, messageId, account, provider, outcome, durationMs, decision, at)
                  VALUES (41, 'msg_a', 'klaros', 'klaros', 'accepted', 3, 'done', '2026-01-01 00:00:00.000');
                INSERT INTO statusEvent (id, messageId, status, source, at) VALUES (7, 'msg_a', 'pending', 'gateway', '2026-01-01 00:00:00.000');
                INSERT INTO statusEvent (id, messageId, status, source, at) VALUES (8, 'msg_a', 'sent', 'gateway', '2026-01-01 00:00:00.000');
                """)
        }

        try AppDatabase.migrator.migrate(queue)

        try queue.write { db in
            let schema = try String.fetchAll(db, sql: "SELECT sql FROM sqlite_master WHERE name IN ('attempt', 'statusEvent')")
            #expect(schema.count == 2)
            #expect(schema.allSatisfy { !$0.uppercased().contains("AUTOINCREMENT") })
            let sequences = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sqlite_sequence WHERE name IN ('attempt', 'statusEvent')")
            #expect(sequences == 0)
            let events = try Row.fetchAll(db, sql: "SELECT id, status FROM statusEvent WHERE messageId = 'msg_a' ORDER BY id")
            #expect(events.map { $0["id"] as Int64 } == [7, 8])
            #expect(events.map { $0["status"] as String } == ["pending", "sent"])
            #expect(try Int64.fetchOne(db, sql: "SELECT id FROM attempt WHERE messageId = 'msg_a'") == 41)

            try db.execute(sql: "INSERT INTO statusEvent (messageId, status, source, at) VALUES ('msg_a', 'delivered', 'klaros', '2026-01-01 00:00:01.000')")
            #expect(db.lastInsertedRowID == 9)
            let indexes = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name IN ('attempt', 'statusEvent') ORDER BY name")
            #expect(indexes == ["attempt_on_messageId", "attempt_on_providerMessageId", "statusEvent_on_messageId"])

            // The foreign keys survived the rebuild: deleting the message takes its history with it.
            try db.execute(sql: "DELETE FROM message WHERE id = 'msg_a'")
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM statusEvent") == 0)
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM attempt") == 0)
        }
    }

    @Test func newFilesGetSmallPagesAndAnExistingFileKeepsItsOwnWithTheSameWALCap() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("switchboard-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let fresh = directory + "/fresh.sqlite", older = directory + "/older.sqlite"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        // A file as earlier versions made it: 4 KiB pages, WAL, the schema and a row.
        do {
            let pool = try DatabasePool(path: older)
            let pageSize = try await pool.read { try Int.fetchOne($0, sql: "PRAGMA page_size") }
            #expect(pageSize == 4096)
            try await SQLiteMessageStore(database: try AppDatabase(pool)).insert([
                NewMessage(id: "m0", recipient: "919812345678", kind: .text, body: #"{"text":"before"}"#, ref: nil, ref1: nil, ref2: nil, createdAt: Date()),
            ])
        }

        for (path, pageSize, walCap) in [(fresh, AppDatabase.pageSize, AppDatabase.autoCheckpointPages), (older, 4096, 40_000)] {
            let database = try AppDatabase.open(path: path)
            let store = SQLiteMessageStore(database: database)
            try await store.insert([NewMessage(id: "m1", recipient: "919812345678", kind: .text, body: #"{"text":"hi"}"#, ref: nil, ref1: nil, ref2: nil, createdAt: Date())])
            let stored = try await database.writer.read { db in
                (try Int.fetchOne(db, sql: "PRAGMA page_size"), try String.fetchOne(db, sql: "PRAGMA journal_mode"), try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM message"),
                 try Int.fetchOne(db, sql: "PRAGMA wal_autocheckpoint"))
            }
            #expect(stored.0 == pageSize, "\(path)")
            #expect(stored.1 == "wal", "\(path)")
            #expect(stored.2 == (path == older ? 2 : 1), "\(path)")
            // The WAL is capped at the same size whatever the pages.
            #expect(stored.3 == walCap, "\(path)")
        }
        #expect(AppDatabase.pageSize != 4096, "the two files are told apart only if the sizes differ")
    }
}
