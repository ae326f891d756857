import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import SwitchboardCore

/// Kaleyra's v1 WhatsApp API: form-encoded `POST /v1/<SID>/messages` (or GET with query parameters),
/// `api-key` header, several recipients per request as a comma-separated `to`.
public struct KaleyraProvider: Provider {
    public let name = "kaleyra"
    public let catalog: ProviderCatalog
    private let exchange: ProviderExchange
    private let parser: KaleyraResponseParser
    private let validator: KaleyraValidator

    /// Kaleyra reports each message's status to the URL given on the send; it carries the account's token, as
    /// Kaleyra signs nothing.
    public func callbackURL(publicURL: String, account: Account) -> String? {
        let base = "\(publicURL)/inbound/kaleyra/\(account.id)/status"
        guard let token = KaleyraSettings(account).inboundToken?.value else { return base }
        let unreserved = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")
        return base + "?token=" + (token.addingPercentEncoding(withAllowedCharacters: unreserved) ?? token)
    }

    public init(catalog: ProviderCatalog, client: HTTPClient, logger: Logger = Logger(label: "switchboard.kaleyra")) {
        self.catalog = catalog
        self.exchange = ProviderExchange(client: client, logger: logger)
        self.parser = KaleyraResponseParser(catalog: catalog)
        self.validator = KaleyraValidator(limits: catalog.limits)
    }

    public var capabilities: ProviderCapabilities {
        ProviderCapabilities(
            maxBatch: catalog.limits.maxBatch, maxTextLength: catalog.limits.textMaxLength,
            supportsTemplates: catalog.supportsTemplates, supportsTemplateListing: false, supportsNumberListing: false)
    }

    public func send(_ request: SendRequest, account: Account, timeout: Duration) async -> [RecipientResult] {
        // Refused locally with the provider's own codes, so no call is wasted on a certain rejection.
        if let failure = validator.contentFailure(request) {
            return RecipientResult.failing(request.recipients, with: failure)
        }
        var results: [PhoneNumber: RecipientResult] = [:]
        var sendable: [PhoneNumber] = []
        for recipient in request.recipients {
            if let failure = validator.recipientFailure(recipient) {
                results[recipient] = RecipientResult(recipient: recipient, outcome: .failed(failure))
            } else if !sendable.contains(recipient) {
                sendable.append(recipient)
            }
        }
        var start = 0
        while start < sendable.count {
            let chunk = Array(sendable[start..<min(start + catalog.limits.maxBatch, sendable.count)])
            start += chunk.count
            for result in await sendBatch(request.with(recipients: chunk), account: account, timeout: timeout) {
                results[result.recipient] = result
            }
        }
        return request.recipients.map { results[$0]! }
    }

    private func sendBatch(_ request: SendRequest, account: Account, timeout: Duration) async -> [RecipientResult] {
        let settings = KaleyraSettings(account)
        let fields = KaleyraFields.make(request, account: account, sandbox: settings.sandbox)
        let url = "\(account.baseURL.withoutTrailingSlash)/v1/\(settings.sid)/messages"
        var http: HTTPClientRequest
        if settings.useGET {
            http = HTTPClientRequest(url: url + "?" + FormEncoding.encode(fields))
            http.method = .GET
        } else {
            http = HTTPClientRequest(url: url)
            http.method = .POST
            http.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
            http.body = .bytes(ByteBuffer(string: FormEncoding.encode(fields)))
        }
        http.headers.add(name: "api-key", value: account.apiKey.value)
        http.headers.add(name: "Accept", value: "application/json")
        switch await exchange.perform(http, timeout: timeout) {
        case .success(let response): return parser.results(for: request.recipients, response: response)
        case .failure(let failure): return RecipientResult.failing(request.recipients, with: failure)
        }
    }
}

/// The form fields of one Kaleyra send, in a stable order.
enum KaleyraFields {
    static func make(_ request: SendRequest, account: Account, sandbox: Bool) -> [(String, String)] {
        var fields: [(String, String)] = [("channel", "whatsapp")]
        if let from = account.from { fields.append(("from", from)) }
        fields.append(("to", request.recipients.map(\.e164).joined(separator: ",")))
        switch request.body {
        case .text(let body):
            fields.append(("type", "text"))
            fields.append(("body", body))
        case .template(let template):
            fields.append(("type", "template"))
            fields.append(("template_name", template.name))
            fields.append(("lang_code", template.language))
            if !template.params.isEmpty { fields.append(("params", template.params.joined(separator: ","))) }
        }
        if let callback = request.callbackURL { fields.append(("callback_url", callback)) }
        if let ref = request.ref { fields.append(("ref", ref)) }
        if let ref1 = request.ref1 { fields.append(("ref1", ref1)) }
        if let ref2 = request.ref2 { fields.append(("ref2", ref2)) }
        if sandbox { fields.append(("source", "sandbox")) }
        return fields
    }
}
