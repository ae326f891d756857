import Foundation
import HTTPTypes
import Hummingbird
import Logging
import SwitchboardCore
import SwitchboardDispatch
import SwitchboardStore

/// Provider callbacks on `/inbound/{provider}/{account}[/{event}]`, GET or POST. The provider's adapter
/// authenticates and reads each one into `InboundEvent`s; this stores them. Nothing refused is stored or forwarded.
struct InboundController<Store: GatewayStore>: Sendable {
    let store: Store
    let routing: LiveDispatcher
    private var table: RouteTable { routing.current.table }
    let providers: [String: any Provider]
    var wallClock: WallClock = .system
    var timestampWarnings = TimestampWarnings()

    /// Provider callbacks are small; a larger body is refused before it is read.
    static var maxBodyBytes: Int { 1 << 20 }

    func addRoutes(to router: Router<BasicRequestContext>) {
        let inbound = router.group("inbound")
        for method in [HTTPRequest.Method.get, .post] {
            inbound.on(":provider/:account", method: method) { request, context in
                try await receive(request, context: context, event: nil)
            }
            inbound.on(":provider/:account/:event", method: method) { request, context in
                try await receive(request, context: context, event: context.parameters.get("event"))
            }
        }
    }

    private func receive(_ request: Request, context: BasicRequestContext, event: String?) async throws -> Response {
        let name = context.parameters.get("provider") ?? ""
        guard let provider = providers[name] else { throw APIError(.notFound, "no provider \(name)") }
        let id = context.parameters.get("account") ?? ""
        guard let account = table.account(id), account.provider == name else {
            throw APIError(.notFound, "no \(name) account \(id)")
        }
        let method: InboundRequest.Method = request.method == .post ? .post : .get
        var headers: [String: String] = [:]
        for field in request.headers { headers[field.name.canonicalName] = field.value }
        var query: [String: String] = [:]
        for (key, value) in request.uri.queryParameters { query[String(key)] = String(value) }
        let body = method == .post ? Array(buffer: try await request.body.collect(upTo: Self.maxBodyBytes)) : []
        let inbound = InboundRequest(
            method: method, event: event, query: query, headers: headers, contentType: request.headers[.contentType],
            body: body)
        let reply: InboundReply
        do {
            reply = try provider.accept(inbound, account: account)
        } catch {
            throw Self.answer(to: error, path: request.uri.path)
        }
        switch reply {
        case .challenge(let text):
            return Response(
                status: .ok, headers: [.contentType: "text/plain; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: text)))
        case .events(let events):
            var results: [JSONValue] = []
            for event in events {
                do {
                    results.append(try await apply(event, provider: name, account: account, logger: context.logger))
                } catch {
                    // Not stored: a 503 makes the provider deliver it again, which the event key de-duplicates.
                    throw APIError(.storeUnavailable, "the callback could not be stored; deliver it again later")
                }
            }
            // Always 2xx for well-formed callbacks, so providers do not retry what was understood.
            switch results.count {
            case 0: return JSONResponse.data(.object(["result": "ignored"]))
            case 1: return JSONResponse.data(results[0])
            default: return JSONResponse.data(.object(["result": "processed", "events": .array(results)]))
            }
        }
    }

    /// The methods an adapter takes at `/inbound/{provider}/{account}[/{event}]`, for 405's `Allow`.
    func allowedMethods(_ path: [String]) -> [String]? {
        guard (3...4).contains(path.count), path[0] == "inbound", let provider = providers[path[1]] else { return nil }
        let event = path.count == 4 ? path[3] : nil
        guard let route = provider.inboundRoutes.first(where: { $0.event == event }) else { return nil }
        return route.methods.map(\.rawValue)
    }

    private static func answer(to refusal: InboundRefusal, path: String) -> any Error {
        switch refusal {
        case .unauthorized(let message): return APIError(.unauthorized, message)
        case .forbidden(let message): return APIError(.forbidden, message)
        case .invalid(let message): return APIError(.invalidRequest, message)
        case .invalidRecipient(let message): return APIError(.invalidRecipient, message)
        case .unknownEvent: return APIError(.notFound, "no inbound endpoint \(path)")
        case .methodNotAllowed(let allowed):
            let allow = MethodNotAllowed.allowHeader(allowed.map(\.rawValue))
            return MethodNotAllowed(
                error: APIError(.methodNotAllowed, "\(path) takes \(allow)"), allow: allow)
        }
    }

    private func apply(_ event: InboundEvent, provider: String, account: Account, logger: Logger) async throws -> JSONValue {
        let receivedAt = wallClock.now()
        func stamp(_ raw: String?) async -> Date {
            await timestampWarnings.resolve(raw, account: account, receivedAt: receivedAt, logger: logger)
        }
        switch event {
        case .status(let report):
            guard let status = report.status else { return Self.result("ignored: unknown status \(report.providerWord)") }
            let update = try await store.applyStatus(StatusReport(
                provider: provider, account: account.id, providerMessageId: report.providerMessageId, status: status,
                providerStatus: report.providerWord, at: await stamp(report.timestamp), eventKey: report.eventKey))
            return switch update {
            case .applied(let messageId, _, let to): Self.result("applied", messageId: messageId, status: to.rawValue)
            case .unchanged(let messageId, let current): Self.result("unchanged", messageId: messageId, status: current.rawValue)
            case .abandonedAttempt(let messageId): Self.result("ignored: abandoned attempt", messageId: messageId)
            case .duplicate: Self.result("duplicate")
            case .unknownMessage: Self.result("ignored: unknown message id")
            }
        case .message(let message):
            let stored = try await store.recordInbound(InboundMessage(
                customer: message.customer, account: account.id, provider: provider, line: message.line ?? account.from,
                text: message.text, type: message.type, name: message.name, mediaURL: message.mediaURL,
                providerMessageId: message.providerMessageId, at: await stamp(message.timestamp), eventKey: message.eventKey))
            return Self.result(stored ? "recorded" : "duplicate")
        case .optOut(let optOut):
            let stored = try await store.recordOptOut(
                customer: optOut.customer, account: account.id, provider: provider, at: await stamp(optOut.timestamp),
                eventKey: optOut.eventKey)
            return Self.result(stored ? "recorded" : "duplicate")
        }
    }

    static func result(_ result: String, messageId: String? = nil, status: String? = nil) -> JSONValue {
        var data: [String: JSONValue] = ["result": .string(result)]
        if let messageId { data["messageId"] = .string(messageId) }
        if let status { data["status"] = .string(status) }
        return .object(data)
    }
}
