import SwitchboardStore

/// Outcomes the store refused after providers were called (disk full, I/O error). Kept in memory and written by
/// `OutcomeRetryService` once the store writes again, so an accepted message ends `accepted`, not `unknown`, without
/// a restart; its Idempotency-Key stays in progress meanwhile, so a retrying app cannot send it twice. A stop before
/// then leaves the messages `sending`, which recovery at the next start makes `unknown`.
actor PendingOutcomes {
    struct Outcome: Sendable {
        var completions: [MessageCompletion]
        var attempts: [NewAttempt]
        var idempotency: IdempotencyCompletion?
    }

    private var outcomes: [Outcome] = []

    var count: Int { outcomes.count }

    func add(_ outcome: Outcome) { outcomes.append(outcome) }

    /// Writes what is pending, oldest first, until a write fails. Returns how many were written.
    func flush(into store: some MessageStore) async throws -> Int {
        var written = 0
        while let next = outcomes.first {
            try await store.complete(next.completions, attempts: next.attempts, idempotency: next.idempotency)
            outcomes.removeFirst()
            written += 1
        }
        return written
    }
}
