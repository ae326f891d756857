import Foundation
import SwitchboardCore
import SwitchboardStore
import Testing

/// InboxStore and WebhookStore behaviours, on every store implementation.
@Suite struct InboxStoreConformance {
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    private func sentMessage(_ store: any GatewayStore, id: String = "m1", providerId: String = "p1:0", to: String = "919812345678") async throws {
        try await store.insert([NewMessage(id: id, recipient: to, kind: .text, body: #"{"text":"hi"}"#, ref: nil, ref1: nil, ref2: nil, createdAt: now)])
        try await store.complete([MessageCompletion(messageId: id, status: .accepted, route: "india", account: "kaleyra-in", provider: "kaleyra", providerMessageId: providerId, errorCode: nil, errorMessage: nil, providerCode: nil, at: now)], idempotency: nil)
    }

    private func report(_ status: MessageStatus, id: String = "p1:0", key: String? = nil, at offset: TimeInterval = 1) -> StatusReport {
        StatusReport(provider: "kaleyra", account: "kaleyra-in", providerMessageId: id, status: status, providerStatus: status.rawValue, at: now.addingTimeInterval(offset), eventKey: key ?? "\(id):\(status.rawValue)")
    }

    @Test(arguments: StoreUnderTest.all)
    func statusesMoveForwardIgnoringDuplicatesAndLateArrivals(_ under: StoreUnderTest) async throws {
        try await under.withStore { store in
            _ = try await store.createWebhook(url: "https://app.example.com/hook", events: [], secret: "whsec_x", at: now)
            try await sentMessage(store)
            #expect(try await store.applyStatus(report(.delivered)) == .applied(messageId: "m1", from: .accepted, to: .delivered))
            #expect(try await store.applyStatus(report(.delivered)) == .duplicate)
            #expect(try await store.applyStatus(report(.sent)) == .unchanged(messageId: "m1", status: .delivered))
            #expect(try await store.applyStatus(report(.read)) == .applied(messageId: "m1", from: .delivered, to: .read))
            #expect(try await store.applyStatus(report(.failed)) == .unchanged(messageId: "m1", status: .read))
            #expect(try await store.message(id: "m1")?.status == .read)
            let events = try await store.dueDeliveries(now: now.addingTimeInterval(10), limit: 10)
            #expect(events.count == 2, "one message.status event per change, none for duplicates or stale reports")
        }
    }

    @Test(arguments: StoreUnderTest.all)
    func purgedCallbackKeysAreHandledAgainAndKeptOnesStayDuplicates(_ under: StoreUnderTest) async throws {
        try await under.withStore { store in
            try await sentMessage(store)
            #expect(try await store.applyStatus(report(.delivered, at: 60)) == .applied(messageId: "m1", from: .accepted, to: .delivered))
            #expect(try await store.applyStatus(report(.read, at: 8 * 86_400)) == .applied(messageId: "m1", from: .delivered, to: .read))
            #expect(try await store.purgeInboundEvents(before: now.addingTimeInterval(86_400)) == 1)
            #expect(try await store.purgeInboundEvents(before: now.addingTimeInterval(86_400)) == 0)
            // The purged key's redelivery is handled again, and still cannot move the status back.
            #expect(try await store.applyStatus(report(.delivered, at: 60)) == .unchanged(messageId: "m1", status: .read))
            #expect(try await store.applyStatus(report(.read, at: 8 * 86_400)) == .duplicate)
        }
    }

    @Test(arguments: StoreUnderTest.all)
    func aStatusForAnAbandonedAttemptDoesNotOverwriteTheOutcome(_ under: StoreUnderTest) async throws {
        try await under.withStore { store in
            try await store.insert([NewMessage(id: "m1", recipient: "919812345678", kind: .text, body: "{}", ref: nil, ref1: nil, ref2: nil, createdAt: now)])
            try await store.record([NewAttempt(messageId: "m1", attempt: Attempt(account: "kaleyra-in", provider: "kaleyra", outcome: .accepted, providerMessageId: "old:0", durationMs: 1, decision: .done), at: now)])
            try await store.complete([MessageCompletion(messageId: "m1", status: .sent, route: nil, account: "klaros", provider: "klaros", providerMessageId: "wamid.new", errorCode: nil, errorMessage: nil, providerCode: nil, at: now)], idempotency: nil)
            #expect(try await store.applyStatus(report(.failed, id: "old:0")) == .abandonedAttempt(messageId: "m1"))
            #expect(try await store.message(id: "m1")?.status == .sent)
            #expect(try await store.applyStatus(report(.delivered, id: "nobody")) == .unknownMessage)
        }
    }

    @Test(arguments: StoreUnderTest.all)
    func failedStatusEmitsMessageFailedToo(_ under: StoreUnderTest) async throws {
        try await under.withStore { store in
            _ = try await store.createWebhook(url: "https://app.example.com/hook", events: ["message.failed"], secret: "whsec_x", at: now)
            try await sentMessage(store)
            _ = try await store.applyStatus(report(.failed))
            let due = try await store.dueDeliveries(now: now.addingTimeInterval(10), limit: 10)
            #expect(due.count == 1)
            let event = try #require(try JSONSerialization.jsonObject(with: due[0].payload) as? [String: Any])
            #expect(event["type"] as? String == "message.failed")
            #expect((event["data"] as? [String: Any])?["messageId"] as? String == "m1")
        }
    }

    @Test(arguments: StoreUnderTest.all)
    func inboundOpensTheWindowLiftsOptOutAndJoinsTheThread(_ under: StoreUnderTest) async throws {
        try await under.withStore { store in
            try await sentMessage(store)
            #expect(try await store.recordOptOut(customer: "919812345678", account: "kaleyra-in", provider: "kaleyra", at: now, eventKey: "o1"))
            #expect(try await store.conversationStates(customers: ["919812345678"])["919812345678"]?.optedOut == true)
            let inbound = InboundMessage(customer: "919812345678", account: "klaros", provider: "klaros", line: "123", text: "hello?", type: "text", name: "Asha", mediaURL: nil, providerMessageId: "wamid.in", at: now.addingTimeInterval(60), eventKey: "e1")
            #expect(try await store.recordInbound(inbound))
            #expect(try await !store.recordInbound(inbound), "the same event twice is stored once")
            let state = try #require(try await store.conversationStates(customers: ["919812345678"])["919812345678"])
            #expect(!state.optedOut)
            let windows = state.lastInbound
            #expect(ConversationWindow.openAccounts(windows, now: now.addingTimeInterval(3600)) == ["klaros"])
            #expect(ConversationWindow.openAccounts(windows, now: now.addingTimeInterval(60 + 24 * 3600)).isEmpty)
            let thread = try await store.thread(customer: "919812345678", limit: 50)
            #expect(thread.map(\.direction) == ["out", "in"])
            #expect(thread.first?.status == "accepted")
            let conversations = try await store.conversations(limit: 10, now: now.addingTimeInterval(3600))
            #expect(conversations.first?.customer == "919812345678")
            #expect(conversations.first?.openWindows.map(\.account) == ["klaros"])
            #expect(try await store.conversations(limit: 10, now: now.addingTimeInterval(2 * 86_400)).first?.openWindows.isEmpty == true)
            #expect(conversations.first?.lastDirection == "in")
        }
    }

    @Test(arguments: StoreUnderTest.all)
    func deliveriesFollowTheRetryScheduleOnAnInjectedClockAnd410Disables(_ under: StoreUnderTest) async throws {
        try await under.withStore { store in
            let hook = try await store.createWebhook(url: "https://app.example.com/hook", events: [], secret: "whsec_x", at: now)
            try await sentMessage(store)
            _ = try await store.applyStatus(report(.delivered))
            var clock = now.addingTimeInterval(1)
            let first = try #require(try await store.dueDeliveries(now: clock, limit: 1).first)
            for expectedDelay in [5.0, 300, 1800] {
                try await store.recordDeliveryAttempt(deliveryId: first.id, statusCode: 500, error: nil, retryAfterSeconds: nil, durationMs: 3, now: clock)
                #expect(try await store.dueDeliveries(now: clock.addingTimeInterval(expectedDelay - 1), limit: 1).isEmpty)
                clock = clock.addingTimeInterval(expectedDelay)
                #expect(try await store.dueDeliveries(now: clock, limit: 1).first?.id == first.id)
            }
            try await store.recordDeliveryAttempt(deliveryId: first.id, statusCode: 410, error: nil, retryAfterSeconds: nil, durationMs: 3, now: clock)
            #expect(try await store.webhooks().first?.disabledAt != nil)
            let view = try #require(try await store.deliveries(webhookId: hook.id, limit: 10)?.first)
            #expect(view.status == "disabled")
            #expect(view.attempts.map(\.statusCode) == [500, 500, 500, 410])
            _ = try await store.applyStatus(report(.read))
            #expect(try await store.dueDeliveries(now: clock.addingTimeInterval(1e6), limit: 10).isEmpty, "a disabled endpoint gets nothing new")
        }
    }

    @Test(arguments: StoreUnderTest.all)
    func aPendingDeliverySurvivesARestart(_ under: StoreUnderTest) async throws {
        try await under.withDatabase { database in
            let store = try await database.store(bootId: "boot-1")
            _ = try await store.createWebhook(url: "https://app.example.com/hook", events: ["message.status"], secret: "whsec_x", at: now)
            try await sentMessage(store)
            _ = try await store.applyStatus(report(.delivered))
            let reopened = try await database.store(bootId: "boot-2")
            let due = try await reopened.dueDeliveries(now: now.addingTimeInterval(5), limit: 10)
            #expect(due.count == 1)
            #expect(due.first?.url == "https://app.example.com/hook")
        }
    }
}
