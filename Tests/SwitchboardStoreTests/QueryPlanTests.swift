import GRDB
@testable import SwitchboardStore
import Testing

/// The hot lookups keep using their (partial) indexes: a full scan here would grow with the message table.
@Suite struct QueryPlanTests {
    @Test(arguments: [
        ("SELECT id FROM message WHERE status = 'queued' AND notBefore <= '2026-01-01' ORDER BY notBefore LIMIT 10", "message_on_queue"),
        ("SELECT MIN(notBefore) FROM message WHERE status = 'queued'", "message_on_queue"),
        ("SELECT * FROM message WHERE providerMessageId = 'wamid.1'", "message_on_providerMessageId"),
        ("SELECT * FROM message WHERE status = 'failed' ORDER BY createdAt DESC LIMIT 50", "message_on_status_createdAt"),
        (#"SELECT * FROM "attempt" WHERE "providerMessageId" = 'wamid.1' LIMIT 1"#, "attempt_on_providerMessageId"),
        (#"DELETE FROM "idempotencyKey" WHERE ("expiresAt" IS NOT NULL) AND ("expiresAt" < '2026-01-01')"#, "idempotencyKey_on_expiresAt"),
        (#"DELETE FROM "inboundEvent" WHERE "receivedAt" < '2026-01-01'"#, "inboundEvent_on_receivedAt"),
    ])
    func lookupUsesItsIndex(sql: String, index: String) async throws {
        let database = try AppDatabase.inMemory()
        let plan = try await database.writer.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql).map { $0["detail"] as String? ?? "" }.joined(separator: " | ")
        }
        #expect(plan.contains(index), "\(plan)")
    }
}
