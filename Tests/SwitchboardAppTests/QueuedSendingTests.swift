import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import ServiceLifecycle
@testable import SwitchboardApp
import SwitchboardCore
import SwitchboardDispatch
import SwitchboardSimulators
import SwitchboardStore
import Testing

@Suite struct QueuedSendingTests {
    /// A worker over the same store and adapters as the router, driven round by round.
    static func worker(_ host: SimulatorHost, store: SQLiteMessageStore) async throws -> QueueWorker<SQLiteMessageStore> {
        let configuration = try await GatewayHarness.configuration(host, policy: GatewayHarness.fastPolicy)
        return QueueWorker(
            store: store, routing: LiveDispatcher(GatewayDependencies<SQLiteMessageStore>.dispatcher(for: configuration, client: GatewayHarness.client, logger: Logger(label: "q"))),
            metrics: GatewayMetrics(), logger: Logger(label: "q"), pairIntervalMs: 0)
    }

    @Test(arguments: [#"{"to":"+919812345678,+919812345679","text":"later","mode":"queued"}"#, #"{"to":"+919812345678,+919812345679","text":"later"}"#])
    func queuedSendsAnswer202OnceStoredThenWorkersSendThemInOneBatch(body: String) async throws {
        try await GatewayHarness.withRouter { client, host, store in
            var headers = GatewayHarness.auth
            if !body.contains("queued") { headers[HTTPField.Name("Prefer")!] = "respond-async" }
            let answer = try await client.send(body, headers: headers)
            #expect(answer.status == .accepted)
            #expect(answer.json.entries.map { $0["status"] as? String } == ["queued", "queued"])
            #expect(await host.requests.all().isEmpty, "nothing is sent before a worker takes it")
            let ids = answer.json.entries.compactMap { $0["id"] as? String }

            let worker = try await Self.worker(host, store: store)
            #expect(try await worker.runOnce(now: Date()) == 2)
            #expect(await host.requests.count(endpoint: "kaleyra.in") == 1, "same content, same account: one Kaleyra request")
            let metrics = String(decoding: worker.metrics.registry.emitToBuffer(), as: UTF8.self)
            #expect(metrics.contains(#"switchboard_messages_total{status="accepted",error="none"} 2"#), "queued outcomes are counted too")
            for id in ids {
                let message = try #require(try await store.message(id: id))
                #expect(message.status == .accepted)
                #expect(message.history.map(\.status) == ["queued", "accepted"])
                #expect(message.attempts.count == 1)
            }
        }
    }

    @Test func unavailableProvidersAreRetriedUntilTheValidityPeriodEnds() async throws {
        try await GatewayHarness.withRouter { client, host, store in
            _ = try await store.createWebhook(url: "http://127.0.0.1:9/hook", events: ["message.failed"], secret: "whsec_AAAA", at: Date())
            await host.faults.set(.unavailable, for: "kaleyra.eu")
            let answer = try await client.send(#"{"to":"+447700900123","text":"hi","mode":"queued","validityMs":5000}"#)
            let id = try #require(answer.json.entries.first?["id"] as? String)
            let worker = try await Self.worker(host, store: store)
            let start = Date()

            #expect(try await worker.runOnce(now: start) == 1)
            #expect(try await store.message(id: id)?.status == .queued, "rescheduled 1 s later")
            #expect(try await worker.runOnce(now: start.addingTimeInterval(0.5)) == 0, "not due yet")
            #expect(try await worker.runOnce(now: start.addingTimeInterval(1.5)) == 1)
            #expect(try await store.message(id: id)?.status == .queued, "rescheduled 2 s later")
            #expect(try await worker.runOnce(now: start.addingTimeInterval(4)) == 1)
            let expired = try #require(try await store.message(id: id))
            #expect(expired.status == .failed)
            #expect(expired.errorCode == "expired")
            #expect(expired.attempts.allSatisfy { $0.outcome == .failed(.unavailable) })
            let failedEvents = try await store.dueDeliveries(now: Date().addingTimeInterval(60), limit: 10)
            #expect(failedEvents.count == 1)
        }
    }

    @Test func recipientErrorsAreNotRetried() async throws {
        try await GatewayHarness.withRouter { client, host, store in
            await host.faults.set(.error("E13009"), for: "kaleyra.in")
            let id = try #require(try await client.send(#"{"to":"+919812345678","text":"hi","mode":"queued"}"#).json.entries.first?["id"] as? String)
            _ = try await Self.worker(host, store: store).runOnce(now: Date())
            let message = try #require(try await store.message(id: id))
            #expect(message.status == .failed)
            #expect(message.errorCode == "invalid_recipient")
        }
    }

    @Test func badQueuedRequestsAreRefused() async throws {
        try await GatewayHarness.withRouter { client, _, store in
            let badMode = try await client.send(#"{"to":"+919812345678","text":"hi","mode":"later"}"#)
            let badValidity = try await client.send(#"{"to":"+919812345678","text":"hi","mode":"queued","validityMs":10}"#)
            let queued = try await store.queuedCount()
            #expect(badMode.json.errorCode == "invalid_request")
            #expect(badValidity.json.errorCode == "invalid_request")
            #expect(queued == 0)
        }
    }

    @Test func sendsToOneCustomerAreSpacedByThePairRate() async throws {
        try await GatewayHarness.withRouter { client, host, store in
            for text in ["one", "two"] {
                _ = try await client.send(#"{"to":"+919812345678","text":"\#(text)","mode":"queued"}"#)
            }
            let configuration = try await GatewayHarness.configuration(host, policy: GatewayHarness.fastPolicy)
            let worker = QueueWorker(
                store: store, routing: LiveDispatcher(GatewayDependencies<SQLiteMessageStore>.dispatcher(for: configuration, client: GatewayHarness.client, logger: Logger(label: "q"))),
                metrics: GatewayMetrics(), logger: Logger(label: "q"), pairIntervalMs: 6000)
            let start = Date()
            _ = try await worker.runOnce(now: start)
            #expect(await host.requests.count(endpoint: "kaleyra.in") == 1)
            #expect(try await store.queuedCount() == 1, "the second waits for the customer's next slot")
            #expect(try await worker.runOnce(now: start.addingTimeInterval(3)) == 0)
            _ = try await worker.runOnce(now: start.addingTimeInterval(6.1))
            #expect(await host.requests.count(endpoint: "kaleyra.in") == 2)
        }
    }

    @Test func shutdownPutsSendsWaitingForTheirLinesRateBackInTheQueue() async throws {
        try await GatewayHarness.withRouter { client, host, store in
            var ids: [String] = []
            for n in 0..<4 {
                let answer = try await client.send(#"{"to":"+1202555010\#(n)","text":"rate \#(n)","mode":"queued"}"#)
                ids.append(try #require(answer.json.entries.first?["id"] as? String))
            }
            let configuration = try await GatewayHarness.configuration(host, policy: GatewayHarness.fastPolicy)
            let built = GatewayDependencies<SQLiteMessageStore>.dispatcher(for: configuration, client: GatewayHarness.client, logger: Logger(label: "q"))
            // One message a second on the Klaros line: the first goes at once, the others would wait 1, 2 and 3 s.
            let dispatcher = Dispatcher(
                table: built.table, providers: built.providers, health: built.health, clock: built.clock,
                pacer: Pacer(limits: .init(ratePerSecond: ["klaros": 1])), callbackURL: built.callbackURL)
            let worker = QueueWorker(store: store, routing: LiveDispatcher(dispatcher), metrics: GatewayMetrics(), logger: Logger(label: "q"), pairIntervalMs: 0)
            let services = ServiceGroup(configuration: .init(services: [worker], logger: Logger(label: "q")))

            let started = ContinuousClock.now
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await services.run() }
                while await host.requests.count(endpoint: "klaros.main") == 0, ContinuousClock.now - started < .seconds(5) {
                    try await Task.sleep(for: .milliseconds(10))
                }
                await services.triggerGracefulShutdown()
                try await tasks.waitForAll()
            }
            let stoppedAfter = ContinuousClock.now - started

            #expect(stoppedAfter < .milliseconds(1500), "shutdown took \(stoppedAfter): it must not wait out the line's rate")
            #expect(await host.requests.count(endpoint: "klaros.main") == 1)
            #expect(await host.requests.count(endpoint: "kaleyra.eu") == 0, "a drained send does not fail over either")
            var statuses: [MessageStatus] = []
            for id in ids {
                let message = try #require(try await store.message(id: id))
                statuses.append(message.status)
                if message.status == .queued { #expect(message.attempts.isEmpty) }
            }
            #expect(statuses.filter { $0 == .sent }.count == 1)
            #expect(statuses.filter { $0 == .queued }.count == 3, "\(statuses)")
            let due = try await store.claimDue(now: Date(), limit: 10)
            #expect(due.count == 3, "the drained messages are due at once")
            #expect(due.allSatisfy { $0.queueAttempts == 0 }, "shutdown does not count as a try")
        }
    }

    @Test func aQueuedSendWakesIdleWorkersAtOnce() async throws {
        let doorbell = QueueDoorbell()
        try await GatewayHarness.withRouter(doorbell: doorbell) { client, host, store in
            var worker = try await Self.worker(host, store: store)
            worker.idle = .seconds(60)
            worker.doorbell = doorbell
            let services = ServiceGroup(configuration: .init(services: [worker], logger: Logger(label: "q")))
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await services.run() }
                // The queue is empty: both claim loops go to sleep for a minute.
                let setup = ContinuousClock.now
                while await doorbell.parked < 2, ContinuousClock.now - setup < .seconds(10) { try await Task.sleep(for: .milliseconds(5)) }
                #expect(await doorbell.parked == 2)

                let started = ContinuousClock.now
                let answer = try await client.send(#"{"to":"+919812345678","text":"wake up","mode":"queued"}"#)
                let id = try #require(answer.json.entries.first?["id"] as? String)
                var status = try await store.message(id: id)?.status
                while status == .queued || status == .sending, ContinuousClock.now - started < .seconds(10) {
                    try await Task.sleep(for: .milliseconds(10))
                    status = try await store.message(id: id)?.status
                }
                let took = ContinuousClock.now - started
                #expect(status == .accepted)
                #expect(took < .seconds(5), "sent after \(took): the workers slept on")
                await services.triggerGracefulShutdown()
                try await tasks.waitForAll()
            }
        }
    }
}
