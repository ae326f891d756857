import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import SwitchboardCore
import Testing

@testable import SwitchboardApp
@testable import SwitchboardStore

/// A store that refuses writes (disk full, I/O error), made to with SQLite triggers. Before any provider call the
/// answer is 503 `store_unavailable`; after one it is 504 `status_unknown`, never a 500 that invites a duplicate, and
/// the outcome is written once the store takes writes again, without a restart.
@Suite struct StoreWriteFailureTests {
    static func healthz(_ client: some TestClientProtocol) async throws -> HTTPResponse.Status {
        try await client.execute(uri: "/healthz", method: .get) { $0.status }
    }

    @Test func aWriteRefusedBeforeAnyProviderCallIs503WithRetryAfterAndSendsNothing() async throws {
        let health = StoreHealth()
        let pending = PendingOutcomes()
        try await GatewayHarness.withRouter(storeHealth: health, pendingOutcomes: pending) { client, host, store in
            try await QueueWriteFailureTests.install(
                """
                CREATE TRIGGER disk_full BEFORE INSERT ON message BEGIN SELECT RAISE(ABORT, 'database or disk is full (test)'); END
                """, on: store)
            for body in [
                #"{"to":"+919812345678","text":"hi"}"#, #"{"to":"+919812345678","text":"hi","mode":"queued"}"#,
            ] {
                let answer = try await client.execute(
                    uri: "/v1/messages", method: .post, headers: GatewayHarness.auth,
                    body: ByteBuffer(string: body)
                ) { response in
                    (response.status, response.headers[.retryAfter], try GatewayHarness.json(response.body))
                }
                #expect(answer.0 == .serviceUnavailable)
                #expect(answer.1 == "\(APIError.storeRetryAfterSeconds)")
                #expect(answer.2.errorCode == "store_unavailable")
            }
            #expect(await host.requests.all().isEmpty)
            #expect(try await Self.healthz(client) == .serviceUnavailable)

            let service = OutcomeRetryService(
                store: store, pending: pending, health: health, logger: Logger(label: "t"))
            await service.runOnce()
            #expect(try await Self.healthz(client) == .ok, "the probe write went through: the store is healthy again")
            try await QueueWriteFailureTests.drop("disk_full", on: store)
            #expect(try await client.send(#"{"to":"+919812345678","text":"hi"}"#).status == .ok)
        }
    }

    @Test func anOutcomeRefusedAfterTheProviderAcceptedIs504AndIsWrittenOnceTheStoreRecovers() async throws {
        let health = StoreHealth()
        let pending = PendingOutcomes()
        try await GatewayHarness.withRouter(storeHealth: health, pendingOutcomes: pending) { client, host, store in
            try await QueueWriteFailureTests.install(
                """
                CREATE TRIGGER disk_full BEFORE UPDATE OF status ON message WHEN NEW.status != 'sending'
                BEGIN SELECT RAISE(ABORT, 'database or disk is full (test)'); END
                """, on: store)
            var headers = GatewayHarness.auth
            headers[HTTPField.Name("Idempotency-Key")!] = "order-1"
            let body = #"{"to":"+919812345678","text":"hi"}"#
            let first = try await client.send(body, headers: headers)
            #expect(first.status == .gatewayTimeout)
            #expect(first.json.errorCode == "status_unknown")
            let id = try #require((first.json.error["messageIds"] as? [String])?.first)
            #expect(try await store.message(id: id)?.status == .sending)
            #expect(try await Self.healthz(client) == .serviceUnavailable)
            #expect(await pending.count == 1)

            let retried = try await client.send(body, headers: headers)
            #expect(retried.json.errorCode == "idempotency_in_progress", "the app's retry does not send it again")

            let service = OutcomeRetryService(
                store: store, pending: pending, health: health, logger: Logger(label: "t"))
            await service.runOnce()
            #expect(await pending.count == 1, "still refused: kept")
            try await QueueWriteFailureTests.drop("disk_full", on: store)
            await service.runOnce()
            #expect(await pending.count == 0)
            #expect(try await Self.healthz(client) == .ok)
            #expect(try await store.message(id: id)?.status == .accepted)
            let replay = try await client.send(body, headers: headers)
            #expect(replay.status == .ok)
            #expect(replay.json.entries.first?["id"] as? String == id)
            #expect(await host.requests.all().count == 1, "sent once")
        }
    }

    @Test func aQueuedOutcomeRefusedAfterItsSendIsWrittenLater() async throws {
        let health = StoreHealth()
        let pending = PendingOutcomes()
        try await GatewayHarness.withRouter { client, host, store in
            let id = try #require(
                try await client.send(#"{"to":"+919812345678","text":"hi","mode":"queued"}"#).json.entries.first?["id"]
                    as? String)
            try await QueueWriteFailureTests.install(
                """
                CREATE TRIGGER disk_full BEFORE UPDATE OF status ON message WHEN NEW.status = 'accepted'
                BEGIN SELECT RAISE(ABORT, 'database or disk is full (test)'); END
                """, on: store)
            var worker = try await QueuedSendingTests.worker(host, store: store)
            worker.pendingOutcomes = pending
            worker.storeHealth = health
            #expect(try await worker.runOnce(now: Date()) == 1)
            #expect(try await store.message(id: id)?.status == .sending)
            #expect(!health.isWritable)
            try await QueueWriteFailureTests.drop("disk_full", on: store)
            await OutcomeRetryService(store: store, pending: pending, health: health, logger: Logger(label: "t"))
                .runOnce()
            #expect(try await store.message(id: id)?.status == .accepted)
            #expect(health.isWritable)
            #expect(await host.requests.all().count == 1)
        }
    }
}
