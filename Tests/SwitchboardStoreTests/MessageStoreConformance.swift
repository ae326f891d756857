import Foundation
import SwitchboardCore
import SwitchboardStore
import Testing

/// MessageStore behaviours, on every store implementation.
@Suite struct MessageStoreConformance {
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    private func message(_ id: String, to: String = "919812345678", at offset: TimeInterval = 0) -> NewMessage {
        NewMessage(id: id, recipient: to, kind: .text, body: #"{"text":"hi"}"#, ref: "r", ref1: nil, ref2: nil, createdAt: now.addingTimeInterval(offset))
    }

    @Test(arguments: StoreUnderTest.all)
    func messageIsStoredBeforeSendingThenSettledWithAttemptsAndHistory(_ under: StoreUnderTest) async throws {
        try await under.withStore { store in
            try await store.insert([message("m1")])
            #expect(try await store.message(id: "m1")?.status == .sending)
            try await store.record([NewAttempt(messageId: "m1", attempt: Attempt(account: "a", provider: "kaleyra", outcome: .failed(.unavailable), providerCode: nil, durationMs: 12, decision: .failOver), at: now)])
            try await store.record([NewAttempt(messageId: "m1", attempt: Attempt(account: "b", provider: "klaros", outcome: .accepted, providerMessageId: "wamid.1", durationMs: 8, decision: .done), at: now)])
            try await store.complete([MessageCompletion(messageId: "m1", status: .sent, route: "india", account: "b", provider: "klaros", providerMessageId: "wamid.1", errorCode: nil, errorMessage: nil, providerCode: nil, at: now)], idempotency: nil)
            let stored = try #require(try await store.message(id: "m1"))
            #expect(stored.status == .sent)
            #expect(stored.account == "b")
            #expect(stored.attempts.map(\.account) == ["a", "b"])
            #expect(stored.history.map(\.status) == ["sending", "sent"])
            #expect(try await store.message(id: "nope") == nil)
        }
    }

    @Test(arguments: StoreUnderTest.all)
    func listingIsNewestFirstWithFiltersAndLimit(_ under: StoreUnderTest) async throws {
        try await under.withStore { store in
            try await store.insert([message("old", at: 0), message("mid", to: "447700900123", at: 1), message("new", at: 2)])
            #expect(try await store.messages(MessageQuery(limit: 10)).map(\.id) == ["new", "mid", "old"])
            #expect(try await store.messages(MessageQuery(to: "919812345678", limit: 10)).map(\.id) == ["new", "old"])
            #expect(try await store.messages(MessageQuery(limit: 1)).map(\.id) == ["new"])
            try await store.complete([MessageCompletion(messageId: "mid", status: .failed, route: nil, account: nil, provider: nil, providerMessageId: nil, errorCode: .providerError, errorMessage: "x", providerCode: nil, at: now)], idempotency: nil)
            #expect(try await store.messages(MessageQuery(status: .failed, limit: 10)).map(\.id) == ["mid"])
        }
    }

    @Test(arguments: StoreUnderTest.all)
    func idempotencyKeysClaimReplayMismatchAndExpire(_ under: StoreUnderTest) async throws {
        try await under.withStore { store in
            #expect(try await store.beginIdempotent(key: "k", requestHash: "h1", messageIds: ["m1"], now: now) == .claimed)
            #expect(try await store.beginIdempotent(key: "k", requestHash: "h1", messageIds: ["m2"], now: now) == .inProgress)
            #expect(try await store.beginIdempotent(key: "k", requestHash: "h2", messageIds: ["m2"], now: now) == .mismatch)
            let body = Data(#"{"data":[]}"#.utf8)
            try await store.complete([], idempotency: IdempotencyCompletion(key: "k", responseStatus: 200, responseBody: body, expiresAt: now.addingTimeInterval(86_400)))
            #expect(try await store.beginIdempotent(key: "k", requestHash: "h1", messageIds: ["m3"], now: now.addingTimeInterval(3600)) == .completed(status: 200, body: body))
            #expect(try await store.purgeIdempotency(now: now.addingTimeInterval(3600)) == 0)
            #expect(try await store.purgeIdempotency(now: now.addingTimeInterval(86_401)) == 1)
            #expect(try await store.beginIdempotent(key: "k", requestHash: "h2", messageIds: ["m4"], now: now.addingTimeInterval(86_401)) == .claimed)
        }
    }

    @Test(arguments: StoreUnderTest.all)
    func aReleasedKeyCanBeClaimedAgain(_ under: StoreUnderTest) async throws {
        try await under.withStore { store in
            #expect(try await store.beginIdempotent(key: "k", requestHash: "h", messageIds: [], now: now) == .claimed)
            try await store.releaseIdempotency(key: "k")
            #expect(try await store.beginIdempotent(key: "k", requestHash: "other", messageIds: [], now: now) == .claimed)
        }
    }

    @Test(arguments: StoreUnderTest.all)
    func aCrashLeavesMessagesUnknownAndTheirKeyInterruptedAfterRestart(_ under: StoreUnderTest) async throws {
        try await under.withDatabase { database in
            let first = try await database.store(bootId: "boot-1")
            #expect(try await first.beginIdempotent(key: "k", requestHash: "h", messageIds: ["m1"], now: now) == .claimed)
            try await first.insert([message("m1")])
            try await database.crash("boot-1")
            let second = try await database.store(bootId: "boot-2")
            #expect(try await second.recoverInterrupted(now: now) == Recovery(unknown: 1))
            let stored = try #require(try await second.message(id: "m1"))
            #expect(stored.status == .unknown)
            #expect(stored.history.map(\.status) == ["sending", "unknown"])
            #expect(try await second.beginIdempotent(key: "k", requestHash: "h", messageIds: ["m9"], now: now) == .interrupted(messageIds: ["m1"]))
            #expect(try await second.messages(MessageQuery(status: .unknown, limit: 10)).map(\.id) == ["m1"])
        }
    }

    /// Cut off while waiting for a connection (unmarked): it never left, so it fails as `interrupted` and its key is
    /// free for the app's retry; a key with one message that may have left stays interrupted.
    @Test(arguments: StoreUnderTest.all)
    func aCrashBeforeAnyProviderCallFailsTheMessageAndReleasesItsKey(_ under: StoreUnderTest) async throws {
        try await under.withDatabase { database in
            let first = try await database.store(bootId: "boot-1")
            #expect(try await first.beginIdempotent(key: "unsent", requestHash: "h", messageIds: ["m1"], now: now) == .claimed)
            try await first.insert([message("m1")])
            #expect(try await first.beginIdempotent(key: "mixed", requestHash: "h", messageIds: ["m2", "m3"], now: now) == .claimed)
            try await first.insert([message("m2"), message("m3")])
            try await first.markDispatchWaiting(["m1", "m2", "m3"])
            try await first.markDispatchStarted(["m3"], at: now)
            try await database.crash("boot-1")
            let second = try await database.store(bootId: "boot-2")
            #expect(try await second.recoverInterrupted(now: now) == Recovery(unknown: 1, interrupted: 2))
            let unsent = try #require(try await second.message(id: "m1"))
            #expect(unsent.status == .failed)
            #expect(unsent.errorCode == "interrupted")
            #expect(unsent.history.map(\.status) == ["sending", "failed"])
            #expect(try await second.beginIdempotent(key: "unsent", requestHash: "h", messageIds: ["m9"], now: now) == .claimed)
            #expect(try await second.beginIdempotent(key: "mixed", requestHash: "h", messageIds: ["m8"], now: now) == .interrupted(messageIds: ["m2", "m3"]))
        }
    }
}
