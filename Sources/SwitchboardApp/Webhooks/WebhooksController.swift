import Foundation
import Hummingbird
import SwitchboardCore
import SwitchboardStore

/// POST/GET /v1/webhooks, DELETE /v1/webhooks/{id}, GET /v1/webhooks/{id}/deliveries.
struct WebhooksController<Store: GatewayStore>: Sendable {
    let store: Store
    let policy: WebhookURLPolicy

    func addRoutes(to group: RouterGroup<BasicRequestContext>) {
        group.post("webhooks") { request, _ in try await create(request) }
        group.get("webhooks") { _, _ in JSONResponse.data(.array(try await store.webhooks().map { render($0, withSecret: false) })) }
        group.delete("webhooks/:id") { _, context in
            let id = context.parameters.get("id") ?? ""
            guard try await store.deleteWebhook(id: id) else { throw APIError(.notFound, "no webhook \(id)") }
            return Response(status: .noContent)
        }
        group.get("webhooks/:id/deliveries") { request, context in
            let id = context.parameters.get("id") ?? ""
            guard let deliveries = try await store.deliveries(webhookId: id, limit: 100) else { throw APIError(.notFound, "no webhook \(id)") }
            return JSONResponse.data(.array(deliveries.map(render)))
        }
    }

    private func create(_ request: Request) async throws -> Response {
        try JSONValue.requireJSONContentType(request.headers[.contentType])
        let body = try await request.body.collect(upTo: 64 * 1024)
        guard case .object(let object) = try JSONValue.parseRequest(Array(buffer: body)) else {
            throw APIError(.invalidRequest, "the body must be a JSON object {url, events?}", details: ["path": "$"])
        }
        if let unknown = object.keys.sorted().first(where: { !["url", "events"].contains($0) }) {
            throw APIError(.invalidRequest, "$.\(unknown): unknown field", details: ["path": .string("$.\(unknown)")])
        }
        guard case .string(let url) = object["url"] else { throw APIError(.invalidRequest, "$.url: is required", details: ["path": "$.url"]) }
        if let problem = policy.problem(with: url) { throw APIError(.invalidRequest, "$.url: \(problem)", details: ["path": "$.url"]) }
        var events: [String] = []
        switch object["events"] {
        case .none, .null: break
        case .array(let items):
            let known = Set(WebhookEventType.allCases.map(\.rawValue))
            for (index, item) in items.enumerated() {
                guard case .string(let event) = item, known.contains(event) else {
                    throw APIError(.invalidRequest, "$.events[\(index)]: must be one of \(known.sorted().joined(separator: ", "))", details: ["path": .string("$.events[\(index)]")])
                }
                if !events.contains(event) { events.append(event) }
            }
        default: throw APIError(.invalidRequest, "$.events: must be an array of event names", details: ["path": "$.events"])
        }
        let webhook = try await store.createWebhook(url: url, events: events, secret: StandardWebhookSigner.generateSecret(), at: Date())
        return JSONResponse.data(render(webhook, withSecret: true), status: .created)
    }

    private func render(_ webhook: Webhook, withSecret: Bool) -> JSONValue {
        var object: [String: JSONValue] = [
            "id": .string(webhook.id), "url": .string(webhook.url),
            "events": .array((webhook.events.isEmpty ? WebhookEventType.allCases.map(\.rawValue) : webhook.events).map(JSONValue.string)),
            "createdAt": .string(MessageView.timestamp(webhook.createdAt)), "enabled": .bool(webhook.disabledAt == nil),
        ]
        // The secret is shown once, at creation.
        if withSecret { object["secret"] = .string(webhook.secret) }
        if let disabled = webhook.disabledAt { object["disabledAt"] = .string(MessageView.timestamp(disabled)) }
        return .object(object)
    }

    private func render(_ delivery: WebhookDeliveryView) -> JSONValue {
        var object: [String: JSONValue] = [
            "id": .int(Int(delivery.id)), "eventId": .string(delivery.eventId), "eventType": .string(delivery.eventType),
            "status": .string(delivery.status), "createdAt": .string(MessageView.timestamp(delivery.createdAt)),
            "attempts": .array(delivery.attempts.map { attempt in
                var entry: [String: JSONValue] = ["at": .string(MessageView.timestamp(attempt.at)), "durationMs": .int(attempt.durationMs)]
                if let status = attempt.statusCode { entry["responseStatus"] = .int(status) }
                if let error = attempt.error { entry["error"] = .string(error) }
                return .object(entry)
            }),
        ]
        if let next = delivery.nextAttemptAt { object["nextAttemptAt"] = .string(MessageView.timestamp(next)) }
        return .object(object)
    }
}
