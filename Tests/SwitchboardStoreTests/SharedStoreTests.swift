import Foundation
import SwitchboardCore
import SwitchboardDispatch
import PostgresNIO
@testable import SwitchboardStore
import Testing

/// What only a store shared by several live instances must do: split work without overlap, leave a live instance's
/// work alone, and take a dead one's back without letting it send.
@Suite(.enabled(if: TestPostgres.available, "needs SWITCHBOARD_TEST_POSTGRES_URL (scripts/test starts a cluster)"))
struct SharedStoreTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    private func queued(_ id: String) -> QueuedMessage {
        QueuedMessage(
            message: NewMessage(
                id: id, recipient: "919812345678", kind: .text, body: #"{"text":"hi"}"#, ref: nil, ref1: nil,
                ref2: nil, createdAt: now),
            from: nil, route: nil, expiresAt: now.addingTimeInterval(3600))
    }

    private func sync(_ id: String) -> NewMessage {
        NewMessage(
            id: id, recipient: "919812345678", kind: .text, body: #"{"text":"hi"}"#, ref: nil, ref1: nil, ref2: nil,
            createdAt: now)
    }

    @Test func instancesClaimingAtOnceTakeDisjointBatches() async throws {
        try await StoreUnderTest.postgres.withDatabase { database in
            let a = try await database.store(bootId: "a")
            let b = try await database.store(bootId: "b")
            try await a.enqueue((0..<200).map { queued("q\($0)") })
            async let fromA = a.claimDue(now: now, limit: 120)
            async let fromB = b.claimDue(now: now, limit: 120)
            let (one, two) = try await (fromA, fromB)
            #expect(one.count + two.count == 200)
            #expect(Set(one.map(\.id)).isDisjoint(with: two.map(\.id)))
        }
    }

    @Test func aLiveInstancesWorkIsLeftAloneAndALapsedOnesIsRecovered() async throws {
        try await StoreUnderTest.postgres.withDatabase { database in
            let a = try await database.store(bootId: "a")
            let b = try await database.store(bootId: "b")
            try await a.enqueue([queued("waiting"), queued("started")])
            _ = try await a.claimDue(now: now, limit: 10)
            try await a.markDispatchStarted(["started"], at: now)
            try await a.insert([sync("sync")])
            #expect(try await b.recoverInterrupted(now: now) == Recovery(), "a is alive")
            #expect(try await a.recoverInterrupted(now: now) == Recovery(), "an instance never recovers its own work")
            try await database.crash("a")
            #expect(try await b.recoverInterrupted(now: now) == Recovery(unknown: 2, requeued: 1))
            #expect(try await b.recoverInterrupted(now: now) == Recovery(), "recovered once")
            #expect(try await b.message(id: "waiting")?.status == .queued)
            #expect(try await b.message(id: "started")?.status == .unknown)
            #expect(try await b.message(id: "sync")?.status == .unknown)
        }
    }

    /// An instance whose lease lapsed (a long pause, a partition) and then comes back must not send what a survivor
    /// put back in the queue, nor overwrite its outcome.
    @Test func anInstanceBackFromALapsedLeaseCannotSendWhatASurvivorRequeued() async throws {
        try await StoreUnderTest.postgres.withDatabase { database in
            let a = try await database.store(bootId: "a")
            let b = try await database.store(bootId: "b")
            try await a.enqueue([queued("q")])
            _ = try await a.claimDue(now: now, limit: 1)
            try await database.crash("a")
            #expect(try await b.recoverInterrupted(now: now).requeued == 1)
            #expect(try await b.claimDue(now: now, limit: 1).map(\.id) == ["q"])
            await #expect(throws: LeaseLost.self) { try await a.markDispatchStarted(["q"], at: now) }
            try await b.markDispatchStarted(["q"], at: now)
            try await a.reschedule([("q", now.addingTimeInterval(60), true)])
            try await a.complete(
                [
                    MessageCompletion(
                        messageId: "q", status: .failed, route: nil, account: nil, provider: nil,
                        providerMessageId: nil,
                        errorCode: .providerError, errorMessage: "stale", providerCode: nil, at: now)
                ], idempotency: nil)
            #expect(try await b.message(id: "q")?.status == .sending, "a's late writes changed nothing")
            try await b.complete(
                [
                    MessageCompletion(
                        messageId: "q", status: .sent, route: nil, account: "acc", provider: "p",
                        providerMessageId: "x",
                        errorCode: nil, errorMessage: nil, providerCode: nil, at: now)
                ], idempotency: nil)
            #expect(try await a.message(id: "q")?.status == .sent)
        }
    }

    @Test func oneIdempotencyKeyOnTwoInstancesIsClaimedOnceAndInProgressWhileItsOwnerLives() async throws {
        try await StoreUnderTest.postgres.withDatabase { database in
            let a = try await database.store(bootId: "a")
            let b = try await database.store(bootId: "b")
            async let first = a.beginIdempotent(key: "k", requestHash: "h", messageIds: ["m1"], now: now)
            async let second = b.beginIdempotent(key: "k", requestHash: "h", messageIds: ["m2"], now: now)
            let answers = try await [first, second]
            #expect(answers.filter { $0 == .claimed }.count == 1)
            #expect(answers.filter { $0 == .inProgress }.count == 1)
            let owner = answers[0] == .claimed ? "a" : "b"
            let other = owner == "a" ? b : a
            #expect(
                try await other.beginIdempotent(key: "k", requestHash: "h", messageIds: ["m3"], now: now) == .inProgress
            )
            try await database.crash(owner)
            let ids = owner == "a" ? ["m1"] : ["m2"]
            #expect(
                try await other.beginIdempotent(key: "k", requestHash: "h", messageIds: ["m3"], now: now)
                    == .interrupted(messageIds: ids))
        }
    }

    @Test func eachWebhookDeliveryIsClaimedByOneInstance() async throws {
        try await StoreUnderTest.postgres.withDatabase { database in
            let a = try await database.store(bootId: "a")
            let b = try await database.store(bootId: "b")
            _ = try await a.createWebhook(url: "https://app.example.com/hook", events: [], secret: "whsec_x", at: now)
            for index in 0..<40 {
                _ = try await a.recordOptOut(
                    customer: "9198\(index)", account: "acc", provider: "p", at: now, eventKey: "e\(index)")
            }
            async let fromA = a.dueDeliveries(now: now, limit: 30)
            async let fromB = b.dueDeliveries(now: now, limit: 30)
            let (one, two) = try await (fromA, fromB)
            #expect(one.count + two.count == 40)
            #expect(Set(one.map(\.id)).isDisjoint(with: two.map(\.id)))
            #expect(
                try await a.dueDeliveries(now: now.addingTimeInterval(60), limit: 100).isEmpty, "claimed, not due again"
            )
            let unrecorded = try await a.dueDeliveries(now: now.addingTimeInterval(181), limit: 100)
            #expect(unrecorded.count == 40, "an instance that dies holding claims lets them come due again")
        }
    }

    @Test func aCallbackDeliveredToTwoInstancesAtOnceIsHandledOnce() async throws {
        try await StoreUnderTest.postgres.withDatabase { database in
            let a = try await database.store(bootId: "a")
            let b = try await database.store(bootId: "b")
            let inbound = InboundMessage(
                customer: "919812345678", account: "acc", provider: "p", line: nil, text: "hi", type: "text", name: nil,
                mediaURL: nil, providerMessageId: "wamid.in", at: now, eventKey: "wamid.in")
            async let one = a.recordInbound(inbound)
            async let two = b.recordInbound(inbound)
            #expect(try await [one, two].filter { $0 }.count == 1)
            #expect(try await a.thread(customer: "919812345678", limit: 10).count == 1)
        }
    }

    @Test func publishedHoldsKeepTheLaterEndAndOnlyThoseInForceAreRead() async throws {
        try await StoreUnderTest.postgres.withDatabase { database in
            let a = try #require(try await database.store(bootId: "a") as? PostgresGatewayStore)
            let b = try #require(try await database.store(bootId: "b") as? PostgresGatewayStore)
            try await a.publishHolds([
                "kaleyra-in": (now.addingTimeInterval(30), nil), "klaros": (nil, now.addingTimeInterval(5)),
            ])
            try await b.publishHolds(["kaleyra-in": (now.addingTimeInterval(10), now.addingTimeInterval(2))])
            let holds = try await b.currentHolds(now: now)
            #expect(holds["kaleyra-in"]?.openUntil == now.addingTimeInterval(30), "the earlier end did not shorten it")
            #expect(holds["kaleyra-in"]?.retryAfterUntil == now.addingTimeInterval(2))
            #expect(holds["klaros"]?.retryAfterUntil == now.addingTimeInterval(5))
            let later = try await a.currentHolds(now: now.addingTimeInterval(6))
            #expect(Array(later.keys) == ["kaleyra-in"])
            #expect(later["kaleyra-in"]?.retryAfterUntil == nil, "an ended pause is not read as one")
        }
    }

    /// Two instances' pacers reserving as fast as they can from one line: the send times they hand out, merged, never
    /// put more than the line's rate (plus 10%) in any second after the first, which may hold the saved burst.
    @Test func twoInstancesTogetherKeepALineToItsRate() async throws {
        try await StoreUnderTest.postgres.withDatabase { database in
            let a = try #require(try await database.store(bootId: "a") as? PostgresGatewayStore)
            let b = try #require(try await database.store(bootId: "b") as? PostgresGatewayStore)
            let rate = 50.0
            let limits = Pacer.Limits(ratePerSecond: ["kaleyra-in": rate])
            let clock = SystemClock()
            let start = clock.now()
            @Sendable func reserveFor3Seconds(_ pacer: Pacer) async -> [Instant] {
                var times: [Instant] = []
                while true {
                    let at = await pacer.reserve(account: "kaleyra-in", count: 1, now: clock.now())
                    if at - start > 3000 { return times }
                    times.append(at)
                }
            }
            async let fromA = reserveFor3Seconds(Pacer(limits: limits, shared: a))
            async let fromB = reserveFor3Seconds(Pacer(limits: limits, shared: b))
            let times = (await fromA + fromB).map { $0 - start }.sorted()
            var busiest = 0
            for from in stride(from: 1000, through: 2000, by: 10) {
                busiest = max(busiest, times.filter { $0 >= from && $0 < from + 1000 }.count)
            }
            #expect(busiest <= Int(rate * 1.1), "\(busiest) sends in one second")
            #expect(
                times.filter { $0 >= 1000 && $0 < 3000 }.count >= Int(rate * 2 * 0.8),
                "the line's rate is used, not wasted")
        }
    }

    /// Queued sends are announced when their transaction commits, so idle workers on every instance wake at once.
    @Test func queuedSendsAreAnnouncedToListeningInstances() async throws {
        try await StoreUnderTest.postgres.withDatabase { database in
            let listener = try #require(try await database.store(bootId: "b") as? PostgresGatewayStore)
            let sender = try await database.store(bootId: "a")
            // Bounded: a notification that never comes fails the test instead of hanging the run.
            let heard = try await withThrowingTaskGroup(of: Bool.self) { group in
                group.addTask {
                    try await listener.client.withConnection { connection in
                        let notifications = try await connection.listen(PostgresGatewayStore.queueChannel)
                        try await sender.enqueue([queued("q1"), queued("q2")])
                        for try await _ in notifications { return true }
                        return false
                    }
                }
                group.addTask {
                    try await Task.sleep(for: .seconds(10))
                    return false
                }
                defer { group.cancelAll() }
                return try await group.next() ?? false
            }
            #expect(heard)
        }
    }
}
