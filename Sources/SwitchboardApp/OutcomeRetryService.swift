import Logging
import ServiceLifecycle
import SwitchboardStore

/// While the store refuses writes: retries the outcomes it refused, and with none pending, probes it with a write,
/// so `/healthz` and sends recover on their own once space is freed.
struct OutcomeRetryService<Store: GatewayStore>: Service {
    let store: Store
    let pending: PendingOutcomes
    let health: StoreHealth
    let logger: Logger
    var interval: Duration = .seconds(1)

    func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            await runOnce()
            do { try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) } } catch { return }
        }
    }

    func runOnce() async {
        guard await pending.count > 0 || !health.isWritable else { return }
        do {
            let written = try await pending.flush(into: store)
            if written == 0 { try await store.probeWrite() }
            health.writeSucceeded()
            if written > 0 {
                logger.notice("outcomes the store had refused are written", metadata: ["count": "\(written)"])
            }
        } catch {
            health.writeFailed(error)
        }
    }
}
