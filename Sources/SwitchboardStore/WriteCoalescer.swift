import GRDB

/// Group commit: writes that arrive while a transaction is being committed wait and then go together in the next one,
/// each inside its own savepoint so one failing write does not undo the others. With no contention a write goes
/// alone and at once; under load, many requests share one commit.
actor WriteCoalescer {
    private enum Turn: Sendable { case done, flush }
    private struct Entry {
        let operation: @Sendable (Database) throws -> Void
        let continuation: CheckedContinuation<Turn, any Error>
    }

    private let writer: any DatabaseWriter
    private var pending: [Entry] = []
    private var flushing = false
    /// Upper bound on writes per transaction, so one commit does not grow without end.
    private let maxBatch = 256

    init(writer: any DatabaseWriter) { self.writer = writer }

    /// A write that returns what it read inside the same transaction.
    func write<T: Sendable>(returning operation: @escaping @Sendable (Database) throws -> T) async throws -> T {
        let slot = ResultSlot<T>()
        try await write { db in slot.value = try operation(db) }
        return slot.value!
    }

    func write(_ operation: @escaping @Sendable (Database) throws -> Void) async throws {
        if flushing {
            let turn = try await withCheckedThrowingContinuation { continuation in
                pending.append(Entry(operation: operation, continuation: continuation))
            }
            if case .done = turn { return }
            // Handed the flush: our own write has not run yet and goes first.
        }
        flushing = true
        let batch = Array(pending.prefix(maxBatch - 1))
        pending.removeFirst(batch.count)
        let operations = [operation] + batch.map(\.operation)
        let results = await Self.commit(operations, on: writer)
        for (entry, result) in zip(batch, results.dropFirst()) {
            switch result {
            case .success: entry.continuation.resume(returning: .done)
            case .failure(let error): entry.continuation.resume(throwing: error)
            }
        }
        if pending.isEmpty {
            flushing = false
        } else {
            pending.removeFirst().continuation.resume(returning: .flush)
        }
        try results[0].get()
    }
}

extension WriteCoalescer {
    /// Runs off the actor, so writes arriving meanwhile queue up for the next commit. The write is synchronous: on an
    /// idle writer GRDB runs it on this thread, where the async API hands it to the writer's queue and back, two
    /// thread wake-ups per commit (figures: bench/RESULTS.md). A
    /// commit waits only on the page cache (synchronous=NORMAL; checkpoints run on their own connection), so this
    /// holds a pool thread for SQLite's CPU work, or briefly behind another write on the writer's queue.
    @concurrent
    private static func commit(_ operations: [@Sendable (Database) throws -> Void], on writer: any DatabaseWriter) async -> [Result<Void, any Error>] {
        do {
            // Alone, a write needs no savepoint: if it throws, the whole transaction rolls back. Saves two statements
            // per commit when there is no contention.
            if operations.count == 1 {
                try writeNow(writer) { db in try operations[0](db) }
                return [.success(())]
            }
            return try writeNow(writer) { db in
                operations.map { operation in Result { try db.inSavepoint { try operation(db); return .commit } } }
            }
        } catch {
            return operations.map { _ in .failure(error) }
        }
    }

    /// The synchronous `write` (a sync context picks it over the async overload).
    private static func writeNow<T>(_ writer: any DatabaseWriter, _ updates: (Database) throws -> T) throws -> T {
        try writer.write(updates)
    }
}

/// Carries a write's result out of the writer's closure. Written once on the writer, read after the write's
/// continuation resumed, which orders the two.
private final class ResultSlot<T>: @unchecked Sendable {
    var value: T?
}
