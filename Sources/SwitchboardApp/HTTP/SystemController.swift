import Foundation
import Hummingbird
import SwitchboardCore
import SwitchboardStore

/// GET /healthz, /metrics and /openapi.json: unauthenticated.
struct SystemController<Store: GatewayStore>: Sendable {
    let dependencies: GatewayDependencies<Store>

    func addRoutes(to router: Router<BasicRequestContext>) {
        router.get("healthz") { _, _ in
            // 503 while the store refuses writes (disk full, I/O error): a load balancer sends traffic elsewhere.
            guard dependencies.storeHealth.isWritable else {
                return JSONResponse.make(.serviceUnavailable, .object(["status": "store_unavailable"]))
            }
            return JSONResponse.make(.ok, .object(["status": "ok"]))
        }
        router.get("metrics") { _, _ in
            let dispatcher = dependencies.dispatcher
            dependencies.metrics.circuits(await dispatcher.health.snapshot(), accounts: dispatcher.table.accounts, now: dispatcher.clock.now())
            // Left at their last values if the store cannot be read; the scrape itself still answers.
            if let depth = try? await dependencies.store.queuedCount() {
                let nextDue = (try? await dependencies.store.nextQueuedDueDate()) ?? nil
                dependencies.metrics.queue(depth: depth, nextDue: nextDue, now: Date())
            }
            let text = dependencies.metrics.registry.emitToBuffer()
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4"], body: .init(byteBuffer: ByteBuffer(bytes: text)))
        }
        router.get("openapi.json") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: BuiltInOpenAPI.json)))
        }
    }
}
