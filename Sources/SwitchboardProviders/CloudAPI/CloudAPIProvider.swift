import AsyncHTTPClient
import Logging
import NIOCore
import SwitchboardCore

/// The WhatsApp Cloud API called directly (Meta's Graph API): `POST {baseURL}/{apiVersion}/{phone-number-id}/messages`
/// with a Bearer access token, one recipient per request.
public struct CloudAPIProvider: Provider {
    public let name = "cloud-api"
    public let catalog: ProviderCatalog
    private let exchange: ProviderExchange
    /// Recipients of one send go out concurrently, this many at a time (within the client's connections per host).
    private let concurrency = 32

    public init(catalog: ProviderCatalog, client: HTTPClient, logger: Logger = Logger(label: "switchboard.cloud-api")) {
        self.catalog = catalog
        self.exchange = ProviderExchange(client: client, logger: logger)
    }

    public var capabilities: ProviderCapabilities {
        ProviderCapabilities(
            maxBatch: catalog.limits.maxBatch, maxTextLength: catalog.limits.textMaxLength,
            supportsTemplates: catalog.supportsTemplates, supportsTemplateListing: false, supportsNumberListing: false)
    }

    public func send(_ request: SendRequest, account: Account, timeout: Duration) async -> [RecipientResult] {
        if case .text(let text) = request.body, text.isEmpty || text.count > catalog.limits.textMaxLength {
            let message = text.isEmpty ? "text is empty" : "text is longer than \(catalog.limits.textMaxLength) characters"
            return RecipientResult.failing(
                request.recipients, with: ProviderFailure(.invalidContent, providerCode: "100", message: message))
        }
        let settings = CloudAPISettings(account)
        let url = "\(account.baseURL.withoutTrailingSlash)/\(settings.apiVersion)/\(account.from ?? "")/messages"
        return await OneRecipientSends.perform(request.recipients, concurrency: concurrency) { recipient in
            var http = HTTPClientRequest(url: url)
            http.method = .POST
            http.headers.add(name: "Authorization", value: "Bearer \(account.apiKey.value)")
            http.headers.add(name: "Content-Type", value: "application/json")
            http.body = .bytes(ByteBuffer(bytes: CloudAPIMessageBody.encode(request.body, to: recipient)))
            switch await exchange.perform(http, timeout: timeout) {
            case .success(let response): return result(for: recipient, response: response)
            case .failure(let failure): return RecipientResult(recipient: recipient, outcome: .failed(failure))
            }
        }
    }

    /// `200 {"messages": [{"id": "wamid…", "message_status"?}]}`, or a Graph API error.
    func result(for recipient: PhoneNumber, response: ProviderResponse) -> RecipientResult {
        let json = JSONValue.parse(response.body)
        guard (200..<300).contains(response.status) else {
            let failure = GraphAPIError.failure(
                status: response.status, json: json, retryAfterMs: response.retryAfterMs, raw: response.body,
                catalog: catalog)
            return RecipientResult(recipient: recipient, outcome: .failed(failure))
        }
        let message = json?["messages"]?.array?.first
        // A 2xx without an id was taken, but cannot be correlated with later statuses.
        let id = message?["id"]?.string ?? ""
        let status = message?["message_status"]?.string ?? "accepted"
        return RecipientResult(recipient: recipient, outcome: .accepted(providerMessageId: id, status: status))
    }
}
