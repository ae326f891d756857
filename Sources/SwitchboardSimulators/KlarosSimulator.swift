import Foundation
import Hummingbird

/// A Klaros deployment as its reference describes it: Bearer auth, `POST /api/v1/messages` taking text (inside the
/// 24-hour window, else 409 `needsTemplate`) or a template, and the `/templates`, `/numbers`, `/me` reads.
public struct KlarosSimulator: Sendable {
    public struct Setup: Sendable, Codable, Equatable {
        /// Names the endpoint: `klaros.<id>`.
        public var id: String
        public var port: Int
        public var apiKey: String
        /// phoneNumberIds of the lines; the first is the default.
        public var numbers: [String]
        /// Approved template names; empty accepts any name.
        public var templates: [String]
        /// Whether a customer who never wrote has an open 24-hour window. Real deployments: false.
        public var windowsOpen: Bool
        /// Customers whose window is open whatever `windowsOpen` says.
        public var openWindows: [String]?
        /// Success body shape: the seed's top-level `{waMessageId, sentStatus}`, or wrapped in `data`.
        public var wrapInData: Bool?
        /// Where this deployment posts its signed events (the gateway's /inbound/klaros/{account}), and the secret.
        public var webhookURL: String?
        public var webhookSecret: String?
        /// Statuses reported after each send, in order; default sent, delivered, read.
        public var callbackStatuses: [String]?
        public var callbackDelayMs: Int?

        public init(
            id: String, port: Int = 0, apiKey: String, numbers: [String], templates: [String] = [],
            windowsOpen: Bool = false, openWindows: [String]? = nil, wrapInData: Bool? = nil,
            webhookURL: String? = nil, webhookSecret: String? = nil, callbackStatuses: [String]? = nil, callbackDelayMs: Int? = nil
        ) {
            self.id = id
            self.port = port
            self.apiKey = apiKey
            self.numbers = numbers
            self.templates = templates
            self.windowsOpen = windowsOpen
            self.openWindows = openWindows
            self.wrapInData = wrapInData
            self.webhookURL = webhookURL
            self.webhookSecret = webhookSecret
            self.callbackStatuses = callbackStatuses
            self.callbackDelayMs = callbackDelayMs
        }

        public init(from decoder: Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            id = try container.decode(String.self, forKey: .id)
            port = try container.decodeIfPresent(Int.self, forKey: .port) ?? 0
            apiKey = try container.decode(String.self, forKey: .apiKey)
            numbers = try container.decode([String].self, forKey: .numbers)
            templates = try container.decodeIfPresent([String].self, forKey: .templates) ?? []
            windowsOpen = try container.decodeIfPresent(Bool.self, forKey: .windowsOpen) ?? false
            openWindows = try container.decodeIfPresent([String].self, forKey: .openWindows)
            wrapInData = try container.decodeIfPresent(Bool.self, forKey: .wrapInData)
            webhookURL = try container.decodeIfPresent(String.self, forKey: .webhookURL)
            webhookSecret = try container.decodeIfPresent(String.self, forKey: .webhookSecret)
            callbackStatuses = try container.decodeIfPresent([String].self, forKey: .callbackStatuses)
            callbackDelayMs = try container.decodeIfPresent(Int.self, forKey: .callbackDelayMs)
        }
    }

    public static func endpoint(id: String) -> String { "klaros.\(id)" }

    let setup: Setup
    let faults: FaultBoard
    let log: RequestLog
    let callbacks: CallbackQueue
    let customers: CustomerBook

    private var endpoint: String { Self.endpoint(id: setup.id) }

    func makeRouter() -> Router<BasicRequestContext> {
        let router = Router()
        router.post("/api/v1/messages") { request, _ in try await send(request) }
        router.get("/api/v1/templates") { request, _ in try await read(request) { templatesBody() } }
        router.get("/api/v1/numbers") { request, _ in try await read(request) { numbersBody() } }
        router.get("/api/v1/me") { request, _ in
            try await read(request) { ["data": ["id": setup.id, "plan": "self-hosted", "phoneNumberId": setup.numbers.first ?? ""]] }
        }
        return router
    }

    private func send(_ request: Request) async throws -> Response {
        let body = try await SimulatorResponses.collectBody(request)
        if let early = try await gate(request, body: body) { return early }
        guard let json = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any] else {
            return cloudError(100, "Invalid parameter: body is not a JSON object")
        }
        guard let to = json["to"] as? String, SimulatorResponses.isE164(to) else {
            return cloudError(100, "Invalid parameter: to must be E.164 digits")
        }
        if let from = json["from"] as? String, !setup.numbers.contains(from) {
            return cloudError(131045, "Phone number not registered: \(from)")
        }
        // Templates come as {"template": {name, language}} or the quickstart's templateName/templateLang.
        let template = json["template"] as? [String: Any]
        let templateName = template?["name"] as? String ?? json["templateName"] as? String
        let text = json["text"] as? String
        switch (text, templateName) {
        case (.some, .some), (.none, .none):
            return cloudError(100, "Invalid parameter: send exactly one of text or template")
        case (.some(let text), .none):
            guard !text.isEmpty else { return cloudError(100, "Invalid parameter: text is empty") }
            let customer = SimulatorResponses.digits(to)
            let wroteIn = await customers.hasOpenWindow(endpoint: endpoint, customer: customer)
            guard setup.windowsOpen || wroteIn || (setup.openWindows ?? []).map(SimulatorResponses.digits).contains(customer) else {
                return SimulatorResponses.json(.conflict, [
                    "error": "Outside the 24-hour customer service window: send an approved template",
                    "needsTemplate": true,
                ])
            }
        case (.none, .some(let name)):
            guard setup.templates.isEmpty || setup.templates.contains(name) else {
                return cloudError(132001, "Template name does not exist in the translation")
            }
        }
        let waMessageId = "wamid.\(UUID().uuidString.lowercased())"
        let accepted: [String: Any] = ["waMessageId": waMessageId, "sentStatus": "sent"]
        if let url = setup.webhookURL, let secret = setup.webhookSecret {
            let statuses = setup.callbackStatuses ?? ["sent", "delivered", "read"]
            callbacks.enqueue(statuses.map { status in
                KlarosEvents.callback(url: url, secret: secret, type: "message.status",
                                      data: ["wa_message_id": waMessageId, "status": status, "to": SimulatorResponses.digits(to)],
                                      delayMs: setup.callbackDelayMs ?? 50)
            })
        }
        let payload: [String: Any] = setup.wrapInData == true ? ["data": accepted] : accepted
        return SimulatorResponses.json(.ok, payload)
    }

    /// A customer writes to this deployment's line: a signed message.received event, and their window opens.
    func customerWrites(from: String, text: String, name: String?) async -> Bool {
        guard let url = setup.webhookURL, let secret = setup.webhookSecret else { return false }
        let customer = SimulatorResponses.digits(from)
        await customers.opened(endpoint: endpoint, customer: customer)
        var data = ["from": customer, "text": text, "wa_message_id": "wamid.in.\(UUID().uuidString.lowercased())", "to": setup.numbers.first ?? ""]
        if let name { data["name"] = name }
        callbacks.enqueue([KlarosEvents.callback(url: url, secret: secret, type: "message.received", data: data, delayMs: 0)])
        return true
    }

    func customerOptsOut(from: String) -> Bool {
        guard let url = setup.webhookURL, let secret = setup.webhookSecret else { return false }
        callbacks.enqueue([KlarosEvents.callback(url: url, secret: secret, type: "message.optout", data: ["from": SimulatorResponses.digits(from)], delayMs: 0)])
        return true
    }

    private func read(_ request: Request, body make: () -> [String: Any]) async throws -> Response {
        if let early = try await gate(request, body: "") { return early }
        return SimulatorResponses.json(.ok, make())
    }

    /// Records the request, applies the fault, and checks the Bearer key; nil means carry on.
    private func gate(_ request: Request, body: String) async throws -> Response? {
        await SimulatorResponses.record(request, body: body, endpoint: endpoint, into: log)
        let (latency, action) = await faults.decide(for: endpoint)
        await SimulatorResponses.sleep(ms: latency)
        switch action {
        case .proceed: break
        case .unavailable: return SimulatorResponses.json(.serviceUnavailable, ["error": "Service temporarily unavailable"])
        case .rateLimited(let seconds):
            return SimulatorResponses.json(.tooManyRequests, ["error": ["code": 130429, "message": "Rate limit hit"]], headers: [.retryAfter: String(seconds)])
        case .hang(let seconds):
            try await Task.sleep(for: .seconds(seconds))
            return SimulatorResponses.json(.gatewayTimeout, ["error": "timeout"])
        case .error(let code):
            return cloudError(Int(code) ?? 1, "Simulated error \(code)")
        }
        guard request.headers[.authorization] == "Bearer \(setup.apiKey)" else {
            return SimulatorResponses.json(.unauthorized, ["error": "Unauthorized: invalid API key"])
        }
        return nil
    }

    /// A WhatsApp Cloud API error body, as Klaros passes it through.
    private func cloudError(_ code: Int, _ message: String) -> Response {
        let transient = [1, 2, 131000, 131016].contains(code)
        return SimulatorResponses.json(transient ? .serviceUnavailable : .badRequest, ["error": [
            "message": message, "type": "OAuthException", "code": code,
            "error_data": ["details": message], "is_transient": transient, "fbtrace_id": "Asim\(code)",
        ] as [String: Any]])
    }

    private func templatesBody() -> [String: Any] {
        ["data": setup.templates.map { ["name": $0, "language": "en_US", "status": "APPROVED", "category": "UTILITY"] }]
    }

    private func numbersBody() -> [String: Any] {
        ["data": setup.numbers.enumerated().map { index, id in
            ["phoneNumberId": id, "label": "Line \(index + 1)", "waba": "waba-\(setup.id)", "default": index == 0] as [String: Any]
        }]
    }
}
