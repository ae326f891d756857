import Foundation
import Logging
@testable import SwitchboardApp
import SwitchboardCore
import SwitchboardStore
import Testing

@Suite struct RetentionServiceTests {
    /// One pass forgets expired idempotency keys and callback keys older than the retention window, and nothing newer.
    @Test func aPurgeForgetsWhatIsPastItsWindow() async throws {
        let store = SQLiteMessageStore(database: try .inMemory())
        let now = Date()
        let window = RetentionService<SQLiteMessageStore>.inboundEventRetention
        for (key, age) in [("old", window + 60), ("recent", window - 60)] {
            #expect(try await store.recordOptOut(customer: "15551234567", account: "klaros", provider: "klaros", at: now.addingTimeInterval(-age), eventKey: key))
        }
        #expect(try await store.beginIdempotent(key: "k", requestHash: "h", messageIds: ["m1"], now: now.addingTimeInterval(-90_000)) == .claimed)
        try await store.complete([], idempotency: IdempotencyCompletion(key: "k", responseStatus: 200, responseBody: Data("{}".utf8), expiresAt: now.addingTimeInterval(-3_600)))

        await RetentionService(store: store, logger: Logger(label: "test")).purge(now: now)

        #expect(try await store.beginIdempotent(key: "k", requestHash: "other", messageIds: ["m2"], now: now) == .claimed)
        let oldAgain = try await store.recordOptOut(customer: "15551234567", account: "klaros", provider: "klaros", at: now, eventKey: "old")
        let recentAgain = try await store.recordOptOut(customer: "15551234567", account: "klaros", provider: "klaros", at: now, eventKey: "recent")
        #expect(oldAgain, "purged: handled again")
        #expect(!recentAgain, "kept: still a duplicate")
    }
}
