import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle
import SwitchboardStore

/// Runs the PostgreSQL connection pool for as long as the gateway runs.
struct PostgresClientService: Service {
    let client: PostgresClient
    func run() async throws {
        await cancelWhenGracefulShutdown { await client.run() }
    }
}

/// Keeps this instance's lease current and settles the work of instances whose lease lapsed: every third of the
/// lease it renews, then recovers. A lapsed instance's in-flight messages are recovered about one lease after it died.
struct InstanceLeaseService<Store: GatewayStore & InstanceLeaseStore>: Service {
    let store: Store
    let leaseSeconds: Double
    let logger: Logger
    /// A renewal that fails says the database is gone, even when no send is writing: `/healthz` answers 503.
    var storeHealth = StoreHealth()

    func run() async throws {
        let interval = Duration.milliseconds(Int64(leaseSeconds * 1000 / 3))
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do { try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) } } catch { break }
            guard !Task.isShuttingDownGracefully else { break }
            do {
                try await store.renewLease(seconds: leaseSeconds)
                storeHealth.writeSucceeded()
                let recovered = try await store.recoverInterrupted(now: Date())
                if recovered != Recovery() {
                    logger.warning(
                        "settled the work of an instance whose lease lapsed",
                        metadata: [
                            "unknown": "\(recovered.unknown)", "interrupted": "\(recovered.interrupted)",
                            "requeued": "\(recovered.requeued)",
                        ])
                }
            } catch {
                storeHealth.writeFailed(error)
                logger.error("could not renew this instance's lease", metadata: ["error.type": "\(type(of: error))"])
            }
        }
        // Stopped cleanly, with nothing in flight: nobody needs to wait for the lease to lapse.
        do { try await store.endLease() } catch {
            logger.warning("could not end this instance's lease", metadata: ["error.type": "\(type(of: error))"])
        }
    }
}

/// Wakes this instance's queue workers when any instance queues messages (PostgreSQL's NOTIFY, sent at commit). Several
/// notifications before the workers wake make one wake-up; without a listener the workers still poll.
struct QueueNotificationService: Service {
    let client: PostgresClient
    let doorbell: QueueDoorbell
    let logger: Logger
    var retryAfter: Duration = .seconds(1)

    func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                try await cancelWhenGracefulShutdown {
                    try await client.withConnection { connection in
                        for try await _ in try await connection.listen(PostgresGatewayStore.queueChannel) {
                            await doorbell.ring()
                        }
                    }
                }
            } catch {
                guard !Task.isShuttingDownGracefully && !Task.isCancelled else { break }
                logger.warning(
                    "queue notifications lost; polling until they return",
                    metadata: ["error.type": "\(type(of: error))"])
            }
            do { try await cancelWhenGracefulShutdown { try await Task.sleep(for: retryAfter) } } catch { break }
        }
    }
}
