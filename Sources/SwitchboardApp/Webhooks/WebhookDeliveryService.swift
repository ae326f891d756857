import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import ServiceLifecycle
import SwitchboardStore

/// Delivers the outbox: signed POSTs, 15 s to answer with a 2xx, retries on the schedule, 410 disables the endpoint.
/// Everything it needs is in the store, so pending deliveries survive restarts.
struct WebhookDeliveryService<Store: GatewayStore>: Service {
    let store: Store
    let client: HTTPClient
    let logger: Logger
    /// Where the URL's host resolves, checked before each delivery.
    let addressGuard: WebhookAddressGuard
    /// Clients for names, connecting only to the addresses the guard checked; `client` serves numeric hosts and,
    /// when private networks are allowed, everything.
    let pinnedClients: PinnedClients
    var metrics: GatewayMetrics?
    var pollInterval: Duration = .milliseconds(200)
    var concurrency = 8

    func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            var worked = false
            do {
                let due = try await store.dueDeliveries(now: Date(), limit: 64)
                worked = !due.isEmpty
                await deliver(due)
            } catch {
                logger.warning("webhook outbox read failed", metadata: ["error.type": "\(type(of: error))"])
            }
            if !worked {
                do { try await cancelWhenGracefulShutdown { try await Task.sleep(for: pollInterval) } } catch { break }
            }
        }
        await pinnedClients.shutdown()
    }

    private func deliver(_ due: [DueDelivery]) async {
        await withTaskGroup(of: Void.self) { group in
            var iterator = due.makeIterator()
            for _ in 0..<concurrency {
                guard let delivery = iterator.next() else { break }
                group.addTask { await attempt(delivery) }
            }
            for await _ in group {
                if let delivery = iterator.next() { group.addTask { await attempt(delivery) } }
            }
        }
    }

    func attempt(_ delivery: DueDelivery) async {
        let client: HTTPClient
        switch await addressGuard.check(delivery.url) {
        case .refuse(let problem):
            // Not sent; the attempt is recorded, so the delivery follows the retry schedule like any other failure.
            logger.warning("webhook delivery refused", metadata: ["webhook": "\(delivery.webhookId)", "reason": "\(problem)"])
            metrics?.webhookDelivery(.refused)
            await record(delivery, status: nil, failure: problem, retryAfter: nil, durationMs: 0)
            return
        case .send(let pin?):
            client = await pinnedClients.client(for: pin)
        case .send(nil):
            client = self.client
        }
        let timestamp = Int(Date().timeIntervalSince1970)
        var request = HTTPClientRequest(url: delivery.url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "User-Agent", value: "Switchboard-Webhooks/1")
        for (name, value) in StandardWebhookSigner.headers(secret: delivery.secret, id: delivery.eventId, timestamp: timestamp, body: delivery.payload) {
            request.headers.add(name: name, value: value)
        }
        request.body = .bytes(ByteBuffer(bytes: delivery.payload))
        let started = ContinuousClock.now
        var status: Int?
        var failure: String?
        var retryAfter: Int?
        do {
            let response = try await client.execute(request, timeout: .seconds(15), logger: logger)
            status = Int(response.status.code)
            retryAfter = response.headers.first(name: "retry-after").flatMap { Int($0) }
            _ = try? await response.body.collect(upTo: 64 * 1024)
        } catch {
            failure = "\(error)"
        }
        let elapsed = ContinuousClock.now - started
        metrics?.webhookDelivery(status.map { (200..<300).contains($0) } == true ? .delivered : .failed)
        let durationMs = Int(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)
        await record(delivery, status: status, failure: failure, retryAfter: retryAfter, durationMs: durationMs)
    }

    private func record(_ delivery: DueDelivery, status: Int?, failure: String?, retryAfter: Int?, durationMs: Int) async {
        do {
            try await store.recordDeliveryAttempt(deliveryId: delivery.id, statusCode: status, error: failure, retryAfterSeconds: retryAfter, durationMs: durationMs, now: Date())
        } catch {
            logger.error("could not record a webhook attempt", metadata: ["delivery": "\(delivery.id)", "error.type": "\(type(of: error))"])
        }
    }
}
