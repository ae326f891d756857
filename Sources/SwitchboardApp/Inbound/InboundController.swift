import Foundation
import HTTPTypes
import Hummingbird
import SwitchboardCore
import SwitchboardProviders
import SwitchboardStore

/// Provider callbacks: POST /inbound/klaros/{account} (signed events), and Kaleyra's status and receive URLs
/// (GET or POST, guarded by the account's inboundToken). Nothing unauthenticated is stored or forwarded.
struct InboundController<Store: GatewayStore>: Sendable {
    let store: Store
    let table: RouteTable
    var wallClock: WallClock = .system
    var timestampWarnings = TimestampWarnings()

    func addRoutes(to router: Router<BasicRequestContext>) {
        let inbound = router.group("inbound")
        inbound.post("klaros/:account") { request, context in try await klaros(request, context: context) }
        for method in [HTTPRequest.Method.get, .post] {
            inbound.on("kaleyra/:account/status", method: method) { request, context in try await kaleyraStatus(request, context: context) }
            inbound.on("kaleyra/:account/receive", method: method) { request, context in try await kaleyraReceive(request, context: context) }
        }
    }

    private func account(_ context: BasicRequestContext, provider: String) throws(APIError) -> Account {
        let id = context.parameters.get("account") ?? ""
        guard let account = table.account(id), account.provider == provider else { throw APIError(.notFound, "no \(provider) account \(id)") }
        return account
    }

    private func klaros(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let account = try account(context, provider: "klaros")
        let body = Array(buffer: try await request.body.collect(upTo: 1 << 20))
        guard KlarosSignature.isValid(header: request.headers[HTTPField.Name("X-Klaros-Signature")!], body: body, secret: account.webhookSecret?.value ?? "") else {
            throw APIError(.unauthorized, "missing or bad X-Klaros-Signature")
        }
        guard let event = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any], let type = event["type"] as? String else {
            throw APIError(.invalidRequest, "expected an event {id, type, created_at, data}")
        }
        let data = event["data"] as? [String: Any] ?? [:]
        let createdAt = Self.text(event["created_at"])
        let at = await timestampWarnings.resolve(createdAt, account: account, receivedAt: wallClock.now(), logger: context.logger)
        // Without an event id, a replay is recognised by what it is about.
        let eventId = Self.text(event["id"]).flatMap { $0.isEmpty ? nil : $0 }
        let waMessageId = Self.text(data["wa_message_id"])
        func fallbackKey(_ customer: String) -> String {
            "\(type):\(waMessageId ?? "-"):\(customer)" + (waMessageId == nil ? ":\(createdAt ?? "-")" : "")
        }
        switch type {
        case "message.received":
            let customer = try Self.customer(data["from"])
            let stored = try await store.recordInbound(InboundMessage(
                customer: customer, account: account.id, provider: "klaros", line: (data["to"] as? String) ?? account.from,
                text: data["text"] as? String, type: (data["type"] as? String) ?? "text", name: data["name"] as? String,
                mediaURL: data["media_url"] as? String, providerMessageId: waMessageId, at: at,
                eventKey: eventId ?? fallbackKey(customer)))
            return Self.ok(stored ? "recorded" : "duplicate")
        case "message.status":
            guard let id = (data["wa_message_id"] ?? data["id"]) as? String, let word = data["status"] as? String else {
                throw APIError(.invalidRequest, "message.status needs data.wa_message_id and data.status")
            }
            return try await applyStatus(provider: "klaros", account: account, id: id, word: word, at: at, eventKey: eventId ?? "\(id):\(word)")
        case "message.optout":
            let customer = try Self.customer(data["from"])
            let stored = try await store.recordOptOut(
                customer: customer, account: account.id, provider: "klaros", at: at, eventKey: eventId ?? fallbackKey(customer))
            return Self.ok(stored ? "recorded" : "duplicate")
        default:
            return Self.ok("ignored")
        }
    }

    private func kaleyraStatus(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let account = try account(context, provider: "kaleyra")
        let fields = try await Self.fields(request)
        try Self.checkToken(fields["token"], account: account)
        guard let id = fields["id"], !id.isEmpty, let word = fields["status"], !word.isEmpty else {
            throw APIError(.invalidRequest, "id and status are required")
        }
        return try await applyStatus(provider: "kaleyra", account: account, id: id, word: word, at: wallClock.now(), eventKey: "\(id):\(word.lowercased())")
    }

    private func kaleyraReceive(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let account = try account(context, provider: "kaleyra")
        let fields = try await Self.fields(request)
        try Self.checkToken(fields["token"], account: account)
        let customer = try Self.customer(fields["from"])
        let at = await timestampWarnings.resolve(fields["created_at"], account: account, receivedAt: wallClock.now(), logger: context.logger)
        let stored = try await store.recordInbound(InboundMessage(
            customer: customer, account: account.id, provider: "kaleyra", line: account.from, text: fields["body"],
            type: fields["type"] ?? "text", name: fields["name"], mediaURL: fields["media_url"].flatMap { $0.isEmpty ? nil : $0 },
            providerMessageId: fields["id"], at: at, eventKey: fields["id"] ?? "\(customer):\(fields["created_at"] ?? ""):\(fields["body"] ?? "")"))
        return Self.ok(stored ? "recorded" : "duplicate")
    }

    private func applyStatus(provider: String, account: Account, id: String, word: String, at: Date, eventKey: String) async throws -> Response {
        guard let status = MessageStatus(providerWord: word) else { return Self.ok("ignored: unknown status \(word)") }
        let update = try await store.applyStatus(StatusReport(
            provider: provider, account: account.id, providerMessageId: id, status: status, providerStatus: word, at: at, eventKey: eventKey))
        // Always 2xx for well-formed callbacks, so providers do not retry what was understood.
        return switch update {
        case .applied(let messageId, _, let to): Self.ok("applied", messageId: messageId, status: to.rawValue)
        case .unchanged(let messageId, let current): Self.ok("unchanged", messageId: messageId, status: current.rawValue)
        case .abandonedAttempt(let messageId): Self.ok("ignored: abandoned attempt", messageId: messageId)
        case .duplicate: Self.ok("duplicate")
        case .unknownMessage: Self.ok("ignored: unknown message id")
        }
    }

    static func checkToken(_ presented: String?, account: Account) throws(APIError) {
        guard let token = account.inboundToken?.value, !token.isEmpty else { return }
        guard let presented, ConstantTime.equal(Array(presented.utf8), Array(token.utf8)) else {
            throw APIError(.unauthorized, "missing or wrong token")
        }
    }

    /// Query parameters, then a form or JSON body over them.
    static func fields(_ request: Request) async throws -> [String: String] {
        var fields: [String: String] = [:]
        for (key, value) in request.uri.queryParameters { fields[String(key)] = String(value) }
        guard request.method == .post else { return fields }
        let body = try await request.body.collect(upTo: 1 << 20)
        let text = String(buffer: body)
        if (request.headers[.contentType] ?? "").contains("json") {
            if let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] {
                for (key, value) in object { fields[key] = "\(value)" }
            }
        } else {
            for pair in text.split(separator: "&") {
                let parts = pair.split(separator: "=", maxSplits: 1).map { String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String($0) }
                if let key = parts.first { fields[key] = parts.count > 1 ? parts[1] : "" }
            }
        }
        return fields
    }

    static func customer(_ value: Any?) throws(APIError) -> String {
        guard let raw = value as? String else { throw APIError(.invalidRequest, "from is required") }
        do { return try PhoneNumber(raw).digits } catch { throw APIError(.invalidRecipient, error.description) }
    }

    /// A JSON member as text: strings as they are, numbers in their shortest form.
    static func text(_ value: Any?) -> String? {
        switch value {
        case let text as String: text
        case let number as NSNumber: "\(number.doubleValue)"
        default: nil
        }
    }

    static func ok(_ result: String, messageId: String? = nil, status: String? = nil) -> Response {
        var data: [String: JSONValue] = ["result": .string(result)]
        if let messageId { data["messageId"] = .string(messageId) }
        if let status { data["status"] = .string(status) }
        return JSONResponse.data(.object(data))
    }
}
