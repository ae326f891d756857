import Foundation
import HTTPTypes
import Hummingbird

/// Kaleyra's v1 WhatsApp send API as its reference describes it: `/v1/<SID>/messages` by POST (form) or GET (query),
/// `api-key` auth, comma-separated `to`, and the E13008 / E13009 / E413 validation errors.
public struct KaleyraSimulator: Sendable {
    public struct Account: Sendable, Codable, Equatable {
        public var sid: String
        public var apiKey: String
        /// The pod this SID lives on; nil accepts it on every pod.
        public var pod: String?
        /// Sender lines registered on the account (E.164, with or without +).
        public var lines: [String]
        /// Where customer messages to this account are delivered (the gateway's /inbound/kaleyra/{account}/receive).
        public var receiveURL: String?
        public init(sid: String, apiKey: String, pod: String? = nil, lines: [String], receiveURL: String? = nil) {
            self.sid = sid
            self.apiKey = apiKey
            self.pod = pod
            self.lines = lines
            self.receiveURL = receiveURL
        }
    }

    /// How error bodies are shaped: `code` (`{"code","message"}`), `keyed` (`{"error": {"to": …}}`), or `both`.
    public enum ErrorStyle: String, Sendable, Codable { case code, keyed, both }

    public struct Setup: Sendable, Codable, Equatable {
        /// Pod → port (0 picks a free port).
        public var pods: [String: Int]
        public var accounts: [Account]
        public var errorStyle: ErrorStyle?
        /// Statuses reported to each send's callback_url, in order; default sent, delivered, read.
        public var callbackStatuses: [String]?
        public var callbackDelayMs: Int?
        public init(pods: [String: Int], accounts: [Account], errorStyle: ErrorStyle? = nil, callbackStatuses: [String]? = nil, callbackDelayMs: Int? = nil) {
            self.pods = pods
            self.accounts = accounts
            self.errorStyle = errorStyle
            self.callbackStatuses = callbackStatuses
            self.callbackDelayMs = callbackDelayMs
        }
    }

    public static func endpoint(pod: String) -> String { "kaleyra.\(pod)" }

    let setup: Setup
    let pod: String
    let faults: FaultBoard
    let log: RequestLog
    let callbacks: CallbackQueue

    func makeRouter() -> Router<BasicRequestContext> {
        let router = Router()
        router.post("/v1/:sid/messages") { request, context in try await handle(request, context: context) }
        router.get("/v1/:sid/messages") { request, context in try await handle(request, context: context) }
        return router
    }

    private var endpoint: String { Self.endpoint(pod: pod) }

    private func handle(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let body = try await SimulatorResponses.collectBody(request)
        await SimulatorResponses.record(request, body: body, endpoint: endpoint, into: log)
        let (latency, action) = await faults.decide(for: endpoint)
        await SimulatorResponses.sleep(ms: latency)
        switch action {
        case .proceed: break
        case .unavailable:
            return SimulatorResponses.json(.serviceUnavailable, ["error": ["error": "Service Unavailable"]])
        case .rateLimited(let seconds):
            return SimulatorResponses.json(.tooManyRequests, ["code": "E429", "message": "Too many requests", "error": [:]], headers: [.retryAfter: String(seconds)])
        case .hang(let seconds):
            try await Task.sleep(for: .seconds(seconds))
            return SimulatorResponses.json(.gatewayTimeout, ["error": ["error": "timeout"]])
        case .error(let code):
            return error(code, parameter: nil, message: "Simulated \(code)")
        }

        let sid = context.parameters.get("sid") ?? ""
        guard let account = setup.accounts.first(where: { $0.sid == sid && ($0.pod == nil || $0.pod == pod) }),
              request.headers[HTTPField.Name("api-key")!] == account.apiKey else {
            return SimulatorResponses.json(.unauthorized, ["code": "RBC001", "message": "Authentication failed: invalid SID or api-key", "error": [:]])
        }
        let fields: [String: String]
        if request.method == .post {
            let contentType = request.headers[.contentType] ?? ""
            guard contentType.hasPrefix("application/x-www-form-urlencoded") else {
                return error("E13001", parameter: "content-type", message: "Unsupported Content-Type \(contentType)")
            }
            fields = FormFields.parse(body)
        } else {
            fields = FormFields.parse(request.uri.query ?? "")
        }
        return validateAndAccept(fields, account: account)
    }

    private func validateAndAccept(_ fields: [String: String], account: Account) -> Response {
        guard fields["channel"]?.lowercased() == "whatsapp" else {
            return error("E13001", parameter: "channel", message: "channel must be whatsapp")
        }
        let from = fields["from"] ?? ""
        guard account.lines.map(SimulatorResponses.digits).contains(SimulatorResponses.digits(from)) else {
            return error("E13008", parameter: "from", message: "Invalid or in-correct input of the From number.")
        }
        let recipients = (fields["to"] ?? "").split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
        guard !recipients.isEmpty, recipients.allSatisfy(SimulatorResponses.isE164) else {
            return error("E13009", parameter: "to", message: "Invalid or in-correct input of the TO number.")
        }
        for (name, value) in fields where name != "body" && SimulatorResponses.containsHTML(value) {
            return error("E413", parameter: name, message: "Invalid or In-Correct input for passing HTML tags in parameters.")
        }
        for name in ["ref", "ref1", "ref2"] where (fields[name]?.count ?? 0) > 255 {
            return error("E13001", parameter: name, message: "\(name) can be 255 characters long only")
        }
        let type = fields["type"] ?? ""
        switch type {
        case "text":
            guard let body = fields["body"], !body.isEmpty else { return error("E13001", parameter: "body", message: "body is required") }
        case "template":
            guard let name = fields["template_name"], !name.isEmpty else {
                return error("E13001", parameter: "template_name", message: "template_name is required")
            }
        default:
            return error("E13001", parameter: "type", message: "Unsupported type \(type)")
        }
        let id = UUID().uuidString.lowercased()
        let data = recipients.enumerated().map { index, recipient in
            ["message_id": "\(id):\(index)", "recipient": SimulatorResponses.digits(recipient)]
        }
        if let callback = fields["callback_url"], !callback.isEmpty {
            let separator = callback.contains("?") ? "&" : "?"
            var steps: [SimulatedCallback] = []
            for status in setup.callbackStatuses ?? ["sent", "delivered", "read"] {
                for (index, entry) in data.enumerated() {
                    let query = "id=\(FormFields.escape(entry["message_id"]!))&status=\(FormFields.escape(status))"
                    steps.append(SimulatedCallback(method: "GET", url: callback + separator + query, headers: [], body: nil, delayMs: index == 0 ? setup.callbackDelayMs ?? 50 : 0))
                }
            }
            callbacks.enqueue(steps)
        }
        return SimulatorResponses.json(.accepted, [
            "id": id, "type": type, "body": fields["body"] ?? "",
            "createdDateTime": Self.timestamp(), "totalCount": recipients.count, "data": data, "error": [String: String](),
        ])
    }

    /// A customer writes to an account on this pod: Kaleyra GETs the account's receive URL.
    func customerWrites(sid: String?, from: String, text: String, name: String?) -> Bool {
        guard let account = setup.accounts.first(where: { ($0.pod == nil || $0.pod == pod) && (sid == nil || $0.sid == sid) && $0.receiveURL != nil }),
              let url = account.receiveURL else { return false }
        let fields = [("created_at", String(Int(Date().timeIntervalSince1970))), ("type", "text"), ("from", SimulatorResponses.digits(from)),
                      ("name", name ?? ""), ("body", text), ("media_url", "")]
        let query = fields.map { "\($0.0)=\(FormFields.escape($0.1))" }.joined(separator: "&")
        callbacks.enqueue([SimulatedCallback(method: "GET", url: url + (url.contains("?") ? "&" : "?") + query, headers: [], body: nil, delayMs: 0)])
        return true
    }

    private func error(_ code: String, parameter: String?, message: String) -> Response {
        let keyed: [String: String] = [(parameter ?? "error"): message]
        let status: HTTPResponse.Status = code == "RBC001" ? .unauthorized : (code.hasPrefix("E5") ? .internalServerError : .badRequest)
        switch setup.errorStyle ?? .both {
        case .code: return SimulatorResponses.json(status, ["code": code, "message": message])
        case .keyed: return SimulatorResponses.json(status, ["error": keyed])
        case .both: return SimulatorResponses.json(status, ["code": code, "message": message, "error": keyed])
        }
    }

    private static func timestamp() -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ssxxx"
        return formatter.string(from: Date())
    }
}
