import Foundation
import GRDB
@testable import SwitchboardApp
import SwitchboardCore
import SwitchboardSimulators
@testable import SwitchboardStore
import Testing

/// What the queue worker does when the store refuses a write (disk full, I/O error), made to happen with SQLite
/// triggers on the one statement under test. Whatever fails, no message is sent twice.
@Suite struct QueueWriteFailureTests {
    static func install(_ trigger: String, on store: SQLiteMessageStore) async throws {
        try await store.database.writer.write { db in try db.execute(sql: trigger) }
    }

    static func drop(_ name: String, on store: SQLiteMessageStore) async throws {
        try await store.database.writer.write { db in try db.execute(sql: "DROP TRIGGER \(name)") }
    }

    /// An unmarked message goes back to the queue at the next start, so one that could not be marked must not leave.
    @Test func aMessageThatCannotBeMarkedAsBeingSentIsNotSent() async throws {
        try await GatewayHarness.withRouter { client, host, store in
            let id = try #require(try await client.send(#"{"to":"+919812345678","text":"hi","mode":"queued"}"#).json.entries.first?["id"] as? String)
            try await Self.install("""
                CREATE TRIGGER refuse_mark BEFORE UPDATE OF dispatchStartedAt ON message WHEN NEW.dispatchStartedAt IS NOT NULL
                BEGIN SELECT RAISE(ABORT, 'disk full (test)'); END
                """, on: store)
            let worker = try await QueuedSendingTests.worker(host, store: store)
            let start = Date()

            #expect(try await worker.runOnce(now: start) == 1)
            #expect(await host.requests.all().isEmpty, "neither kaleyra-in nor klaros was called")
            #expect(try await store.message(id: id)?.status == .queued, "back in the queue, for a later try")

            try await Self.drop("refuse_mark", on: store)
            #expect(try await worker.runOnce(now: start.addingTimeInterval(2)) == 1)
            #expect(try await store.message(id: id)?.status == .accepted)
            #expect(await host.requests.all().count == 1)
        }
    }

    /// After the provider calls, a failed reschedule must not put the whole group back in the queue: one of its
    /// messages was accepted. That one settles; the one that could not be rescheduled stays `sending`.
    @Test func aFailedRescheduleAfterTheSendDoesNotRequeueWhatWasSent() async throws {
        try await GatewayHarness.withRouter { client, host, store in
            await host.faults.set(.unavailable, for: "kaleyra.eu")
            let answer = try await client.send(#"{"to":"+919812345678,+447700900123","text":"hi","mode":"queued"}"#)
            let ids = answer.json.entries.compactMap { $0["id"] as? String }
            try #require(ids.count == 2)
            try await Self.install("""
                CREATE TRIGGER refuse_failed_attempts BEFORE INSERT ON attempt WHEN NEW.outcome = 'unavailable'
                BEGIN SELECT RAISE(ABORT, 'disk full (test)'); END
                """, on: store)
            let worker = try await QueuedSendingTests.worker(host, store: store)
            let start = Date()

            #expect(try await worker.runOnce(now: start) == 2)
            #expect(try await store.message(id: ids[0])?.status == .accepted)
            #expect(try await store.message(id: ids[1])?.status == .sending, "could not be rescheduled: left for recovery")
            #expect(try await worker.runOnce(now: start.addingTimeInterval(10)) == 0, "nothing went back to the queue")
            #expect(await host.requests.count(endpoint: "kaleyra.in") == 1, "the accepted message was sent once")
            #expect(try await store.message(id: ids[0])?.status == .accepted)
        }
    }
}
