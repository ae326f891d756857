import HTTPTypes
import Hummingbird
import SwitchboardCore
import SwitchboardStore

/// POST /v1/messages, GET /v1/messages/{id}, GET /v1/messages.
struct MessagesController<Store: GatewayStore>: Sendable {
    let service: MessageService<Store>
    static var maxBodyBytes: Int { 1 << 20 }

    func addRoutes(to group: RouterGroup<BasicRequestContext>) {
        group.post("messages") { request, context in try await send(request, context: context) }
        group.get("messages/:id") { _, context in try await find(context: context) }
        group.get("messages") { request, _ in try await list(request) }
    }

    private func send(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let key = request.headers[HTTPField.Name("Idempotency-Key")!]
        if let key, key.isEmpty || key.utf8.count > 255 || !key.utf8.allSatisfy({ (0x20...0x7E).contains($0) }) {
            throw APIError(.invalidRequest, "Idempotency-Key must be 1 to 255 printable ASCII characters")
        }
        try JSONValue.requireJSONContentType(request.headers[.contentType])
        let body = try await request.body.collect(upTo: Self.maxBodyBytes)
        let preferAsync = (request.headers[HTTPField.Name("Prefer")!] ?? "").lowercased().contains("respond-async")
        let parsed = try SendMessageRequest.parse(Array(buffer: body), preferAsync: preferAsync)
        let answer = try await service.send(parsed, idempotencyKey: key, logger: context.logger)
        return JSONResponse.make(answer.status, answer.body)
    }

    private func find(context: BasicRequestContext) async throws -> Response {
        let id = context.parameters.get("id") ?? ""
        guard let message = try await service.store.message(id: id) else {
            throw APIError(.notFound, "no message \(id)")
        }
        return JSONResponse.data(MessageView.render(message, withHistory: true))
    }

    private func list(_ request: Request) async throws -> Response {
        let parameters = request.uri.queryParameters
        var query = MessageQuery(limit: 50)
        if let limit = parameters.get("limit") {
            guard let value = Int(limit), (1...200).contains(value) else { throw APIError(.invalidRequest, "limit must be 1 to 200") }
            query.limit = value
        }
        if let status = parameters.get("status") {
            guard let value = MessageStatus(rawValue: status) else {
                throw APIError(.invalidRequest, "status must be one of \(MessageStatus.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            query.status = value
        }
        if let to = parameters.get("to") {
            do { query.to = try PhoneNumber(to).digits } catch {
                throw APIError(.invalidRecipient, error.description)
            }
        }
        let messages = try await service.store.messages(query)
        return JSONResponse.data(.array(messages.map { MessageView.render($0) }))
    }
}
