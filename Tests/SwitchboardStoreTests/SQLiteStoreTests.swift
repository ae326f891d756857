import Foundation
import SwitchboardCore
import SwitchboardStore
import Testing

/// What only the SQLite store does: WAL checkpoints, dates as stored in the file.
@Suite struct SQLiteStoreTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func checkpointsReportWhetherTheWALChangedAndKeepEveryRow() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("switchboard-\(UUID().uuidString)/gateway.sqlite").path
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        let database = try AppDatabase.open(path: path)
        let store = SQLiteMessageStore(database: database)
        let createdAt = Date(timeIntervalSince1970: 1_800_000_000.1234)
        try await store.insert([NewMessage(id: "m1", recipient: "919812345678", kind: .text, body: #"{"text":"hi"}"#, ref: nil, ref1: nil, ref2: nil, createdAt: createdAt)])
        let afterInsert = try await database.checkpoint()
        #expect(afterInsert > 0)
        #expect(try await database.checkpoint() == afterInsert)
        try await store.complete([MessageCompletion(messageId: "m1", status: .sent, route: "r", account: "a", provider: "klaros", providerMessageId: "wamid.1", errorCode: nil, errorMessage: nil, providerCode: nil, at: createdAt)], idempotency: nil)
        #expect(try await database.checkpoint() != afterInsert)
        // Reopened from the file alone: dates come back to the millisecond GRDB would have stored.
        let reopened = SQLiteMessageStore(database: try .open(path: path))
        let stored = try #require(try await reopened.message(id: "m1"))
        #expect(stored.status == .sent)
        #expect(abs(stored.createdAt.timeIntervalSince1970 - 1_800_000_000.123) < 0.0005)
        #expect(stored.history.map(\.status) == ["sending", "sent"])
    }
}

@Suite struct GroupCommitTests {
    @Test func concurrentWritesShareCommitsAndAFailingOneUndoesOnlyItself() async throws {
        let store = SQLiteMessageStore(database: try .inMemory())
        let now = Date()
        try await store.insert([NewMessage(id: "dup", recipient: "919812345678", kind: .text, body: "{}", ref: nil, ref1: nil, ref2: nil, createdAt: now)])
        let outcomes = await withTaskGroup(of: Bool.self) { group in
            for index in 0..<200 {
                group.addTask {
                    // Every 50th write reuses an existing id and must fail alone.
                    let id = index % 50 == 0 ? "dup" : "m\(index)"
                    do {
                        try await store.insert([NewMessage(id: id, recipient: "919812345678", kind: .text, body: "{}", ref: nil, ref1: nil, ref2: nil, createdAt: now)])
                        return true
                    } catch { return false }
                }
            }
            var results: [Bool] = []
            for await result in group { results.append(result) }
            return results
        }
        #expect(outcomes.filter { $0 }.count == 196)
        #expect(outcomes.filter { !$0 }.count == 4)
        #expect(try await store.messages(MessageQuery(limit: 200)).count == 197)
    }
}
