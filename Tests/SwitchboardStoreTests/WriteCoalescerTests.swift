import Foundation
import GRDB
@testable import SwitchboardStore
import Testing

/// Group commit: writes that share a transaction stay independent of each other.
@Suite struct WriteCoalescerTests {
    struct Refused: Error {}

    static func database() throws -> DatabaseQueue {
        let queue = try DatabaseQueue()
        try queue.write { db in try db.execute(sql: "CREATE TABLE note (name TEXT PRIMARY KEY)") }
        return queue
    }

    static func names(_ queue: DatabaseQueue) throws -> [String] {
        try queue.read { db in try String.fetchAll(db, sql: "SELECT name FROM note ORDER BY name") }
    }

    @Test func aLoneWriteThatThrowsLeavesNothingBehind() async throws {
        let queue = try Self.database()
        let coalescer = WriteCoalescer(writer: queue)
        await #expect(throws: Refused.self) {
            try await coalescer.write { db in
                try db.execute(sql: "INSERT INTO note VALUES ('half')")
                throw Refused()
            }
        }
        try await coalescer.write { db in try db.execute(sql: "INSERT INTO note VALUES ('whole')") }
        #expect(try Self.names(queue) == ["whole"])
    }

    @Test func aFailingWriteInASharedCommitUndoesOnlyItself() async throws {
        let queue = try Self.database()
        let coalescer = WriteCoalescer(writer: queue)
        let outcomes = try await withThrowingTaskGroup(of: (String, Bool).self) { group in
            // The first write holds the writer, so the next three queue up and go in one commit together.
            group.addTask {
                try await coalescer.write { db in
                    Thread.sleep(forTimeInterval: 0.2)
                    try db.execute(sql: "INSERT INTO note VALUES ('first')")
                }
                return ("first", true)
            }
            try await Task.sleep(for: .milliseconds(50))
            for name in ["a", "refused", "b"] {
                group.addTask {
                    do {
                        try await coalescer.write { db in
                            try db.execute(sql: "INSERT INTO note VALUES (?)", arguments: [name])
                            if name == "refused" { throw Refused() }
                        }
                        return (name, true)
                    } catch is Refused {
                        return (name, false)
                    }
                }
            }
            var outcomes: [String: Bool] = [:]
            for try await (name, succeeded) in group { outcomes[name] = succeeded }
            return outcomes
        }
        #expect(outcomes == ["first": true, "a": true, "refused": false, "b": true])
        #expect(try Self.names(queue) == ["a", "b", "first"])
    }
}
