import Foundation
import Hummingbird

/// The WhatsApp Cloud API as Meta's public reference describes it: `POST /{version}/{phone-number-id}/messages` with
/// a Bearer access token, answered `{"messaging_product", "contacts", "messages": [{"id": "wamid…"}]}`, Graph API
/// error bodies, and webhooks signed with `X-Hub-Signature-256`. A free-form text outside the 24-hour window is
/// accepted, then fails with a `failed` status carrying error 131047, as the real API does.
public struct CloudAPISimulator: Sendable {
    public struct Setup: Sendable, Codable, Equatable {
        /// Names the endpoint: `cloud-api.<id>`.
        public var id: String
        public var port: Int
        public var accessToken: String
        /// Phone-number ids of the business lines.
        public var phoneNumberIds: [String]
        /// Approved template names; empty accepts any name.
        public var templates: [String]
        /// Whether a customer who never wrote has an open 24-hour window. Real numbers: false.
        public var windowsOpen: Bool
        /// Where notifications go (the gateway's /inbound/cloud-api/{account}), and the app secret that signs them.
        public var webhookURL: String?
        public var appSecret: String?
        /// Statuses reported after each accepted send, in order; default sent, delivered, read.
        public var callbackStatuses: [String]?
        public var callbackDelayMs: Int?

        public init(
            id: String, port: Int = 0, accessToken: String, phoneNumberIds: [String], templates: [String] = [],
            windowsOpen: Bool = false, webhookURL: String? = nil, appSecret: String? = nil,
            callbackStatuses: [String]? = nil, callbackDelayMs: Int? = nil
        ) {
            self.id = id
            self.port = port
            self.accessToken = accessToken
            self.phoneNumberIds = phoneNumberIds
            self.templates = templates
            self.windowsOpen = windowsOpen
            self.webhookURL = webhookURL
            self.appSecret = appSecret
            self.callbackStatuses = callbackStatuses
            self.callbackDelayMs = callbackDelayMs
        }

        public init(from decoder: Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            id = try container.decode(String.self, forKey: .id)
            port = try container.decodeIfPresent(Int.self, forKey: .port) ?? 0
            accessToken = try container.decode(String.self, forKey: .accessToken)
            phoneNumberIds = try container.decode([String].self, forKey: .phoneNumberIds)
            templates = try container.decodeIfPresent([String].self, forKey: .templates) ?? []
            windowsOpen = try container.decodeIfPresent(Bool.self, forKey: .windowsOpen) ?? false
            webhookURL = try container.decodeIfPresent(String.self, forKey: .webhookURL)
            appSecret = try container.decodeIfPresent(String.self, forKey: .appSecret)
            callbackStatuses = try container.decodeIfPresent([String].self, forKey: .callbackStatuses)
            callbackDelayMs = try container.decodeIfPresent(Int.self, forKey: .callbackDelayMs)
        }
    }

    public static func endpoint(id: String) -> String { "cloud-api.\(id)" }

    let setup: Setup
    let faults: FaultBoard
    let log: RequestLog
    let callbacks: CallbackQueue
    let customers: CustomerBook

    private var endpoint: String { Self.endpoint(id: setup.id) }

    func makeRouter() -> Router<BasicRequestContext> {
        let router = Router()
        router.post("/:version/:phoneNumberId/messages") { request, context in
            try await send(request, phoneNumberId: context.parameters.get("phoneNumberId") ?? "")
        }
        return router
    }

    private func send(_ request: Request, phoneNumberId: String) async throws -> Response {
        let body = try await SimulatorResponses.collectBody(request)
        await SimulatorResponses.record(request, body: body, endpoint: endpoint, into: log)
        if let early = try await fault() { return early }
        guard request.headers[.authorization] == "Bearer \(setup.accessToken)" else {
            return graphError(.unauthorized, 190, "Invalid OAuth access token - Cannot parse access token", type: "OAuthException")
        }
        guard setup.phoneNumberIds.contains(phoneNumberId) else {
            return graphError(.badRequest, 100, "Unsupported post request. Object with ID '\(phoneNumberId)' does not exist")
        }
        guard let json = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any],
              json["messaging_product"] as? String == "whatsapp"
        else { return graphError(.badRequest, 100, "(#100) The parameter messaging_product is required.") }
        guard let to = json["to"] as? String, SimulatorResponses.isE164(to) else {
            return graphError(.badRequest, 100, "(#100) Invalid parameter: to")
        }
        let customer = SimulatorResponses.digits(to)
        var outsideWindow = false
        switch json["type"] as? String {
        case "text":
            guard let text = (json["text"] as? [String: Any])?["body"] as? String, !text.isEmpty else {
                return graphError(.badRequest, 100, "(#100) The parameter text['body'] is required.")
            }
            let wroteIn = await customers.hasOpenWindow(endpoint: endpoint, customer: customer)
            outsideWindow = !(setup.windowsOpen || wroteIn)
        case "template":
            let template = json["template"] as? [String: Any]
            guard let name = template?["name"] as? String, (template?["language"] as? [String: Any])?["code"] is String
            else { return graphError(.badRequest, 100, "(#100) The parameter template['name'] and language are required.") }
            guard setup.templates.isEmpty || setup.templates.contains(name) else {
                return graphError(.notFound, 132001, "(#132001) Template name does not exist in the translation")
            }
        default:
            return graphError(.badRequest, 100, "(#100) Param type must be one of {text, template, …}")
        }
        let wamid = "wamid.\(UUID().uuidString.lowercased())"
        let statuses = outsideWindow ? ["failed"] : (setup.callbackStatuses ?? ["sent", "delivered", "read"])
        notify(statuses.map { status in
            var item: [String: Any] = [
                "id": wamid, "status": status, "recipient_id": customer,
                "timestamp": String(Int(Date().timeIntervalSince1970)),
            ]
            if outsideWindow {
                item["errors"] = [["code": 131047, "title": "Re-engagement message",
                                   "message": "More than 24 hours have passed since the customer last replied"]]
            }
            return ["statuses": [item]]
        }, phoneNumberId: phoneNumberId)
        return SimulatorResponses.json(.ok, [
            "messaging_product": "whatsapp", "contacts": [["input": to, "wa_id": customer]],
            "messages": [["id": wamid]],
        ])
    }

    /// A customer writes to this number's first line: a signed `messages` notification, and their window opens.
    func customerWrites(from: String, text: String, name: String?) async -> Bool {
        guard setup.webhookURL != nil, setup.appSecret != nil else { return false }
        let customer = SimulatorResponses.digits(from)
        await customers.opened(endpoint: endpoint, customer: customer)
        let message: [String: Any] = [
            "from": customer, "id": "wamid.in.\(UUID().uuidString.lowercased())", "type": "text",
            "timestamp": String(Int(Date().timeIntervalSince1970)), "text": ["body": text],
        ]
        notify([[
            "contacts": [["profile": ["name": name ?? customer], "wa_id": customer]], "messages": [message],
        ]], phoneNumberId: setup.phoneNumberIds.first ?? "", delayMs: 0)
        return true
    }

    /// Each value becomes one signed notification `{object, entry: [{id, changes: [{field: "messages", value}]}]}`.
    private func notify(_ values: [[String: Any]], phoneNumberId: String, delayMs: Int? = nil) {
        guard let url = setup.webhookURL, let secret = setup.appSecret else { return }
        callbacks.enqueue(values.map { value in
            var value = value
            value["messaging_product"] = "whatsapp"
            value["metadata"] = ["display_phone_number": "15550000000", "phone_number_id": phoneNumberId]
            let payload: [String: Any] = [
                "object": "whatsapp_business_account",
                "entry": [["id": "waba-\(setup.id)", "changes": [["field": "messages", "value": value]]]],
            ]
            return MetaWebhook.callback(url: url, secret: secret, payload: payload, delayMs: delayMs ?? setup.callbackDelayMs ?? 50)
        })
    }

    private func fault() async throws -> Response? {
        let (latency, action) = await faults.decide(for: endpoint)
        await SimulatorResponses.sleep(ms: latency)
        switch action {
        case .proceed: return nil
        case .unavailable: return graphError(.serviceUnavailable, 131000, "Something went wrong", transient: true)
        case .rateLimited(let seconds):
            var response = graphError(.tooManyRequests, 130429, "Rate limit hit")
            response.headers[.retryAfter] = String(seconds)
            return response
        case .hang(let seconds):
            try await Task.sleep(for: .seconds(seconds))
            return graphError(.gatewayTimeout, 131000, "timeout", transient: true)
        case .error(let code):
            let number = Int(code) ?? 1
            let status: HTTPResponse.Status = number == 190 ? .unauthorized : ([1, 2, 131000].contains(number) ? .internalServerError : .badRequest)
            return graphError(status, number, "Simulated error \(code)")
        }
    }

    private func graphError(
        _ status: HTTPResponse.Status, _ code: Int, _ message: String, type: String = "OAuthException",
        transient: Bool = false
    ) -> Response {
        SimulatorResponses.json(status, ["error": [
            "message": message, "type": type, "code": code, "is_transient": transient,
            "error_data": ["messaging_product": "whatsapp", "details": message], "fbtrace_id": "Asim\(code)",
        ] as [String: Any]])
    }
}
