import Foundation
import Hummingbird

/// The simulators' control API: set and clear faults while running, read the request log, play a customer.
///   GET /faults · PUT /faults/{endpoint} (a Fault) · DELETE /faults[/{endpoint}] · GET /requests · DELETE /requests · GET /endpoints
///   POST /customers/{endpoint}/messages {from, text, name?} · POST /customers/{endpoint}/optout {from}
struct SimulatorControl: Sendable {
    let host: SimulatorHost
    private var faults: FaultBoard { host.faults }
    private var requests: RequestLog { host.requests }
    private var ports: PortRegistry { host.ports }
    private var endpoints: [String] { host.endpoints }

    func makeRouter() -> Router<BasicRequestContext> {
        let router = Router()
        router.get("/endpoints") { _, _ in
            var listing: [String: Any] = [:]
            for endpoint in endpoints { listing[endpoint] = await ports.port(endpoint) ?? 0 }
            return SimulatorResponses.json(.ok, ["data": listing])
        }
        router.get("/faults") { _, _ in encode(await faults.all()) }
        router.put("/faults/:endpoint") { request, context in
            let endpoint = context.parameters.get("endpoint") ?? ""
            guard endpoints.contains(endpoint) else {
                return SimulatorResponses.json(.notFound, ["error": ["code": "unknown_endpoint", "message": "no endpoint \(endpoint); see GET /endpoints"]])
            }
            let body = try await request.body.collect(upTo: 1 << 16)
            guard let fault = try? JSONDecoder().decode(Fault.self, from: Data(buffer: body)) else {
                return SimulatorResponses.json(.badRequest, ["error": ["code": "invalid_fault", "message": "expected {\"mode\": \"none|unavailable|rate_limited|refuse|hang|error\", …}"]])
            }
            await faults.set(fault, for: endpoint)
            return encode(fault)
        }
        router.delete("/faults/:endpoint") { _, context in
            await faults.clear(context.parameters.get("endpoint") ?? "")
            return Response(status: .noContent)
        }
        router.delete("/faults") { _, _ in
            await faults.clearAll()
            return Response(status: .noContent)
        }
        router.get("/requests") { _, _ in encode(await requests.all()) }
        router.post("/customers/:endpoint/messages") { request, context in
            let body = try await request.body.collect(upTo: 1 << 16)
            let fields = (try? JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: String]) ?? [:]
            guard let from = fields["from"], let text = fields["text"] else {
                return SimulatorResponses.json(.badRequest, ["error": ["code": "invalid_request", "message": "expected {\"from\", \"text\", \"name\"?}"]])
            }
            let delivered = await host.customerWrites(endpoint: context.parameters.get("endpoint") ?? "", from: from, text: text, name: fields["name"], sid: fields["sid"])
            return delivered ? Response(status: .accepted)
                : SimulatorResponses.json(.notFound, ["error": ["code": "no_inbound_target", "message": "that endpoint has no receiveURL/webhookURL configured"]])
        }
        router.post("/customers/:endpoint/optout") { request, context in
            let body = try await request.body.collect(upTo: 1 << 16)
            let fields = (try? JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: String]) ?? [:]
            guard let from = fields["from"], host.customerOptsOut(endpoint: context.parameters.get("endpoint") ?? "", from: from) else {
                return SimulatorResponses.json(.notFound, ["error": ["code": "no_inbound_target", "message": "optout needs a Klaros endpoint with a webhookURL, and {\"from\"}"]])
            }
            return Response(status: .accepted)
        }
        router.delete("/requests") { _, _ in
            await requests.clear()
            return Response(status: .noContent)
        }
        return router
    }

    private func encode(_ value: some Encodable) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = (try? encoder.encode(value)) ?? Data()
        return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
