import Foundation
import GRDB
import SwitchboardCore
import Testing

@testable import SwitchboardStore

/// Rows a store cannot decode (planted straight into SQLite, as an older build or a hand edit could leave them) are
/// skipped by every read; they used to trap the process (`row[i]` on a bad date) or fail the whole read.
@Suite struct UnreadableRowTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    func plantedStore() async throws -> SQLiteMessageStore {
        let database = try AppDatabase.inMemory()
        let store = SQLiteMessageStore(database: database)
        let good = InboundMessage(
            customer: "919812345678", account: "klaros", provider: "klaros", line: "1", text: "hi", type: "text",
            name: nil, mediaURL: nil, providerMessageId: "wamid.ok", at: now, eventKey: "ok")
        #expect(try await store.recordInbound(good))
        try await store.insert([
            NewMessage(
                id: "m1", recipient: "919812345678", kind: .text, body: #"{"text":"hi"}"#,
                ref: nil, ref1: nil, ref2: nil, createdAt: now)
        ])
        try await database.writer.write { db in
            try db.execute(
                sql: """
                    INSERT INTO conversationWindow (customer, account, lastInboundAt) VALUES ('919812345678', 'bad', '+316889355-01-01');
                    INSERT INTO conversationWindow (customer, account, lastInboundAt) VALUES ('15550000001', 'klaros', 'nan');
                    INSERT INTO customer (phone, optedOut, lastMessageAt, lastDirection) VALUES ('15550000001', 0, 'garbage', 'in');
                    INSERT INTO conversationMessage (id, customer, account, provider, direction, kind, at)
                        VALUES ('in_bad', '919812345678', 'klaros', 'klaros', 'in', 'text', 'not a date');
                    INSERT INTO statusEvent (messageId, status, source, at) VALUES ('m1', 'delivered', 'klaros', 'the year 316889355');
                    INSERT INTO message (id, recipient, kind, body, status, createdAt, updatedAt)
                        VALUES ('m2', '919812345678', 'text', '{}', 'sent', 'garbage', 'garbage');
                    INSERT INTO message (id, recipient, kind, body, status, createdAt, updatedAt, notBefore, expiresAt, queueAttempts)
                        VALUES ('m3', '919812345678', 'text', '{"text":"x"}', 'queued', '2027-01-15 07:56:40.000', 'x',
                                '2027-01-15 07:56:40.000', 'never', 0);
                    """)
        }
        return store
    }

    @Test func conversationStatesSkipAWindowWhoseDateDoesNotReadBack() async throws {
        let store = try await plantedStore()
        let states = try await store.conversationStates(customers: ["919812345678", "15550000001"])
        #expect(states["919812345678"]?.lastInbound.keys.sorted() == ["klaros"])
        #expect(states["15550000001"]?.lastInbound.isEmpty ?? true)
        let sending = try await store.insert(
            [
                NewMessage(
                    id: "m4", recipient: "919812345678", kind: .text, body: "{}", ref: nil, ref1: nil, ref2: nil,
                    createdAt: now)
            ],
            readingStatesOf: ["919812345678"])
        #expect(sending["919812345678"]?.lastInbound.keys.sorted() == ["klaros"])
    }

    @Test func conversationListsAndThreadsSkipUnreadableRows() async throws {
        let store = try await plantedStore()
        let conversations = try await store.conversations(limit: 10, now: now.addingTimeInterval(60))
        #expect(conversations.map(\.customer) == ["919812345678"])
        #expect(conversations.first?.openWindows.map(\.account) == ["klaros"])
        let thread = try await store.thread(customer: "919812345678", limit: 10)
        #expect(thread.map(\.direction) == ["in"])
    }

    @Test func messagesReadWithoutTheRowsThatDoNotDecode() async throws {
        let store = try await plantedStore()
        let message = try #require(try await store.message(id: "m1"))
        #expect(message.history.map(\.status) == ["sending"])
        #expect(try await store.message(id: "m2") == nil)
        #expect(try await store.messages(MessageQuery(limit: 10)).map(\.id).contains("m1"))
    }

    @Test func aQueuedMessageThatCannotBeReadIsFailedInsteadOfClaimedForever() async throws {
        let store = try await plantedStore()
        #expect(try await store.claimDue(now: now.addingTimeInterval(1), limit: 10).isEmpty)
        #expect(try await store.claimDue(now: now.addingTimeInterval(2), limit: 10).isEmpty)
        #expect(try await store.queuedCount() == 0)
    }
}
