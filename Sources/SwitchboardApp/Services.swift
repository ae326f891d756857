import AsyncHTTPClient
import Foundation
import Logging
import ServiceLifecycle
import SwitchboardSimulators
import SwitchboardStore

/// Keeps the outbound client alive until graceful shutdown, then closes its connections.
struct HTTPClientService: Service {
    let client: HTTPClient
    func run() async throws {
        try? await gracefulShutdown()
        try await client.shutdown()
    }
}

/// The provider simulators, in-process, for the offline default.
struct SimulatorService: Service {
    let host: SimulatorHost
    func run() async throws {
        try await cancelWhenGracefulShutdown { try await host.run() }
    }
}

/// Keeps the tables that only serve a time window from growing without end, every few minutes: idempotency keys past
/// their 24-hour retention, and the de-duplication keys of provider callbacks after `inboundEventRetention` (providers
/// retry a callback for about a day; a redelivery after the window is handled again).
struct RetentionService<Store: GatewayStore>: Service {
    let store: Store
    let logger: Logger
    var interval: Duration = .seconds(300)
    static var inboundEventRetention: TimeInterval { 7 * 86_400 }

    func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            await purge(now: Date())
            do { try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) } } catch { break }
        }
    }

    func purge(now: Date) async {
        do {
            let keys = try await store.purgeIdempotency(now: now)
            let events = try await store.purgeInboundEvents(before: now.addingTimeInterval(-Self.inboundEventRetention))
            if keys + events > 0 { logger.debug("retention purge", metadata: ["idempotencyKeys": "\(keys)", "inboundEvents": "\(events)"]) }
        } catch {
            logger.warning("retention purge failed", metadata: ["error.type": "\(type(of: error))"])
        }
    }
}

/// Checkpoints the SQLite WAL beside the writer, so commits on the send path never copy pages into the database file.
/// While writes arrive it runs every `busyInterval` (chosen by p99 at one connection, bench/RESULTS.md); when the WAL
/// stops changing it backs off to `idleInterval`.
struct CheckpointService: Service {
    let database: AppDatabase
    let logger: Logger
    var busyInterval: Duration = .milliseconds(20)
    var idleInterval: Duration = .milliseconds(500)

    func run() async throws {
        var interval = busyInterval
        var lastFrames = -1
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                let frames = try await database.checkpoint()
                interval = frames != lastFrames ? busyInterval : min(interval * 2, idleInterval)
                lastFrames = frames
            } catch {
                logger.warning("WAL checkpoint failed", metadata: ["error.type": "\(type(of: error))"])
                interval = idleInterval
            }
            let pause = interval
            do { try await cancelWhenGracefulShutdown { try await Task.sleep(for: pause) } } catch { break }
        }
    }
}
