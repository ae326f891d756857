import Foundation
import SwitchboardCore
import SwitchboardStore
import Testing

/// QueueStore behaviours, on every store implementation.
@Suite struct QueueStoreConformance {
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    private func queued(_ id: String, offset: TimeInterval = 0) -> QueuedMessage {
        QueuedMessage(
            message: NewMessage(id: id, recipient: "919812345678", kind: .text, body: #"{"text":"hi"}"#, ref: nil, ref1: nil, ref2: nil, createdAt: now.addingTimeInterval(offset)),
            from: "kaleyra-in", route: nil, expiresAt: now.addingTimeInterval(3600))
    }

    @Test(arguments: StoreUnderTest.all)
    func claimsAreBatchedInOrderAndExclusive(_ under: StoreUnderTest) async throws {
        try await under.withStore { store in
            try await store.enqueue((0..<5).map { queued("q\($0)", offset: Double($0)) })
            #expect(try await store.queuedCount() == 5)
            let first = try await store.claimDue(now: now.addingTimeInterval(10), limit: 3)
            #expect(first.map(\.id) == ["q0", "q1", "q2"])
            #expect(first.first?.from == "kaleyra-in")
            let second = try await store.claimDue(now: now.addingTimeInterval(10), limit: 10)
            #expect(second.map(\.id) == ["q3", "q4"])
            #expect(try await store.claimDue(now: now.addingTimeInterval(10), limit: 10).isEmpty)
            #expect(try await store.message(id: "q0")?.status == .sending)
        }
    }

    @Test(arguments: StoreUnderTest.all)
    func rescheduledMessagesWaitForTheirTime(_ under: StoreUnderTest) async throws {
        try await under.withStore { store in
            try await store.enqueue([queued("q0")])
            _ = try await store.claimDue(now: now, limit: 1)
            try await store.reschedule([("q0", now.addingTimeInterval(60), true)])
            #expect(try await store.claimDue(now: now.addingTimeInterval(59), limit: 1).isEmpty)
            #expect(try await store.claimDue(now: now.addingTimeInterval(60), limit: 1).first?.queueAttempts == 1)
        }
    }

    @Test(arguments: StoreUnderTest.all)
    func aCrashRequeuesWhatNeverReachedAProviderAndHoldsWhatMightHave(_ under: StoreUnderTest) async throws {
        try await under.withDatabase { database in
            let first = try await database.store(bootId: "boot-1")
            try await first.enqueue([queued("never-sent"), queued("in-flight")])
            for id in ["sync", "sync-unsent"] {
                try await first.insert([NewMessage(id: id, recipient: "919812345678", kind: .text, body: "{}", ref: nil, ref1: nil, ref2: nil, createdAt: now)])
            }
            _ = try await first.claimDue(now: now, limit: 10)
            try await first.markDispatchStarted(["in-flight"], at: now)
            try await first.markDispatchWaiting(["sync-unsent"])
            try await database.crash("boot-1")
            let store = try await database.store(bootId: "boot-2")
            #expect(try await store.recoverInterrupted(now: now) == Recovery(unknown: 2, interrupted: 1, requeued: 1))
            #expect(try await store.message(id: "never-sent")?.status == .queued)
            #expect(try await store.message(id: "in-flight")?.status == .unknown)
            #expect(try await store.message(id: "sync")?.status == .unknown)
            let unsent = try await store.message(id: "sync-unsent")
            #expect(unsent?.status == .failed)
            #expect(unsent?.errorCode == "interrupted")
            #expect(try await store.messages(MessageQuery(status: .unknown, limit: 10)).map(\.id).sorted() == ["in-flight", "sync"])
        }
    }
}

@Suite struct QueueDueDateTests {
    @Test(arguments: StoreUnderTest.all)
    func theNextDueDateIsTheEarliestQueuedMessage(_ under: StoreUnderTest) async throws {
        try await under.withStore { store in
            let now = Date(timeIntervalSince1970: 1_800_000_000)
            #expect(try await store.nextQueuedDueDate() == nil)
            let message = NewMessage(id: "q", recipient: "919812345678", kind: .text, body: "{}", ref: nil, ref1: nil, ref2: nil, createdAt: now)
            try await store.enqueue([QueuedMessage(message: message, from: nil, route: nil, expiresAt: now.addingTimeInterval(60))])
            #expect(try await store.nextQueuedDueDate() == now)
            _ = try await store.claimDue(now: now, limit: 1)
            #expect(try await store.nextQueuedDueDate() == nil, "claimed messages are not due again")
            try await store.reschedule([("q", now.addingTimeInterval(30), true)])
            #expect(try await store.nextQueuedDueDate() == now.addingTimeInterval(30))
        }
    }
}
