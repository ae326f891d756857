import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import SwitchboardCore

/// Klaros: JSON over the WhatsApp Cloud API, `POST <baseURL>/api/v1/messages` with a Bearer key, one recipient per request.
public struct KlarosProvider: Provider {
    public let name = "klaros"
    public let catalog: ProviderCatalog
    private let exchange: ProviderExchange
    private let parser: KlarosResponseParser
    /// Recipients of one send go out concurrently, this many at a time (within the client's 64 connections per host).
    private let concurrency = 32

    public init(catalog: ProviderCatalog, client: HTTPClient, logger: Logger = Logger(label: "switchboard.klaros")) {
        self.catalog = catalog
        self.exchange = ProviderExchange(client: client, logger: logger)
        self.parser = KlarosResponseParser(catalog: catalog)
    }

    public var capabilities: ProviderCapabilities {
        ProviderCapabilities(
            maxBatch: catalog.limits.maxBatch, maxTextLength: catalog.limits.textMaxLength,
            supportsTemplates: catalog.supportsTemplates, supportsTemplateListing: true, supportsNumberListing: true)
    }

    public func send(_ request: SendRequest, account: Account, timeout: Duration) async -> [RecipientResult] {
        if case .text(let text) = request.body, text.isEmpty || text.count > catalog.limits.textMaxLength {
            let message = text.isEmpty ? "text is empty" : "text is longer than \(catalog.limits.textMaxLength) characters"
            return RecipientResult.failing(request.recipients, with: ProviderFailure(.invalidContent, providerCode: "100", message: message))
        }
        return await OneRecipientSends.perform(request.recipients, concurrency: concurrency) { recipient in
            await sendOne(request, to: recipient, account: account, timeout: timeout)
        }
    }

    private func sendOne(_ request: SendRequest, to recipient: PhoneNumber, account: Account, timeout: Duration) async -> RecipientResult {
        var http = HTTPClientRequest(url: "\(account.baseURL.withoutTrailingSlash)/api/v1/messages")
        http.method = .POST
        http.headers.add(name: "Authorization", value: "Bearer \(account.apiKey.value)")
        http.headers.add(name: "Content-Type", value: "application/json")
        http.body = .bytes(ByteBuffer(bytes: KlarosMessageBody.encode(request, to: recipient, from: account.from)))
        switch await exchange.perform(http, timeout: timeout) {
        case .success(let response): return parser.result(for: recipient, response: response)
        case .failure(let failure): return RecipientResult(recipient: recipient, outcome: .failed(failure))
        }
    }

    public func listTemplates(account: Account) async throws(ProviderOperationError) -> [ProviderTemplate] {
        let items = try await getList(account: account, path: "templates")
        return items.compactMap { item in
            guard let name = item["name"]?.text else { return nil }
            return ProviderTemplate(name: name, language: item["language"]?.text, status: item["status"]?.text, category: item["category"]?.text)
        }
    }

    public func listNumbers(account: Account) async throws(ProviderOperationError) -> [ProviderNumber] {
        let items = try await getList(account: account, path: "numbers")
        return items.compactMap { item in
            guard let id = item["phoneNumberId"]?.text ?? item["id"]?.text else { return nil }
            return ProviderNumber(id: id, label: item["label"]?.text ?? item["displayPhoneNumber"]?.text, isDefault: item["default"]?.bool ?? item["isDefault"]?.bool ?? false)
        }
    }

    public func accountInfo(account: Account) async throws(ProviderOperationError) -> [String: String] {
        let json = try await get(account: account, path: "me")
        let object = (json["data"]?.object ?? json.object) ?? [:]
        return object.compactMapValues(\.text)
    }

    private func getList(account: Account, path: String) async throws(ProviderOperationError) -> [JSONValue] {
        let json = try await get(account: account, path: path)
        return json["data"]?.array ?? json.array ?? json[path]?.array ?? []
    }

    private func get(account: Account, path: String) async throws(ProviderOperationError) -> JSONValue {
        var http = HTTPClientRequest(url: "\(account.baseURL.withoutTrailingSlash)/api/v1/\(path)")
        http.headers.add(name: "Authorization", value: "Bearer \(account.apiKey.value)")
        switch await exchange.perform(http, timeout: .seconds(10)) {
        case .failure(let failure): throw .failed(failure)
        case .success(let response):
            let json = JSONValue.parse(response.body)
            guard (200..<300).contains(response.status), let json else {
                throw .failed(parser.failure(status: response.status, json: json, retryAfterMs: response.retryAfterMs, raw: response.body))
            }
            return json
        }
    }
}

/// The JSON body of one Klaros send: `{"from"?, "template"?: {"language", "name", "params"?}, "text"?, "to"}`, keys sorted.
enum KlarosMessageBody {
    static func encode(_ request: SendRequest, to recipient: PhoneNumber, from: String?) -> [UInt8] {
        var json = JSONWriter()
        json.raw(UInt8(ascii: "{"))
        if let from {
            json.key("from")
            json.string(from)
            json.raw(UInt8(ascii: ","))
        }
        switch request.body {
        case .text(let text):
            json.key("text")
            json.string(text)
        case .template(let template):
            json.key("template")
            json.raw(UInt8(ascii: "{"))
            json.key("language")
            json.string(template.language)
            json.raw(UInt8(ascii: ","))
            json.key("name")
            json.string(template.name)
            if !template.params.isEmpty {
                json.raw(UInt8(ascii: ","))
                json.key("params")
                json.raw(UInt8(ascii: "["))
                for (index, param) in template.params.enumerated() {
                    if index > 0 { json.raw(UInt8(ascii: ",")) }
                    json.string(param)
                }
                json.raw(UInt8(ascii: "]"))
            }
            json.raw(UInt8(ascii: "}"))
        }
        json.raw(UInt8(ascii: ","))
        json.key("to")
        json.string(recipient.digits)
        json.raw(UInt8(ascii: "}"))
        return json.bytes
    }
}
