import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Input the API documents as refused is refused, before any write or provider call.
@Suite struct RequestStrictnessTests {
    static func post(_ client: some TestClientProtocol, _ uri: String, _ body: String, contentType: String?)
        async throws -> (status: HTTPResponse.Status, code: String?)
    {
        var headers: HTTPFields = [.authorization: "Bearer \(GatewayHarness.apiKey)"]
        if let contentType { headers[.contentType] = contentType }
        return try await client.execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: body)) {
            response in
            (response.status, (try? GatewayHarness.json(response.body))?.errorCode)
        }
    }

    @Test(arguments: [
        "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/jsonx",
    ])
    func aBodyThatIsNotDeclaredJSONIs415(contentType: String) async throws {
        try await GatewayHarness.withRouter { client, host, store in
            let body = #"{"to":"+919812345678","text":"hi"}"#
            let answer = try await Self.post(client, "/v1/messages", body, contentType: contentType)
            #expect(answer.status == .unsupportedMediaType)
            #expect(answer.code == "unsupported_media_type")
            let webhook = try await Self.post(
                client, "/v1/webhooks", #"{"url":"http://127.0.0.1:9/h"}"#, contentType: contentType)
            #expect(webhook.status == .unsupportedMediaType)
            #expect(await host.requests.all().isEmpty)
            #expect(try await store.messages(.init(limit: 10)).isEmpty)
        }
    }

    @Test(arguments: [nil, "application/json", "application/json; charset=utf-8", "Application/JSON"])
    func jsonOrNoContentTypeIsAccepted(contentType: String?) async throws {
        try await GatewayHarness.withRouter { client, _, _ in
            let answer = try await Self.post(
                client, "/v1/messages", #"{"to":"+919812345678","text":"hi"}"#, contentType: contentType)
            #expect(answer.status == .ok)
        }
    }

    @Test(arguments: [
        #"{"to":"+919812345678","text":"hi","text":"other"}"#,
        #"{"to":"+919812345678","to":"+12025550123","text":"hi"}"#,
        #"{"to":"+919812345678","template":{"name":"a","name":"b","language":"en"}}"#,
    ])
    func aRepeatedKeyIs400(body: String) async throws {
        try await GatewayHarness.withRouter { client, host, _ in
            let answer = try await Self.post(client, "/v1/messages", body, contentType: "application/json")
            #expect(answer.status == .badRequest)
            #expect(answer.code == "invalid_request")
            #expect(await host.requests.all().isEmpty)
        }
    }

    @Test(arguments: [
        " +919812345678", "+919812345678 ", "+919812345678\n", "\u{A0}+919812345678",
        "+919812345678,\u{20}+12025550123",
    ])
    func whitespaceAroundANumberIsRefused(to: String) async throws {
        try await GatewayHarness.withRouter { client, host, _ in
            let body = String(
                decoding: try JSONSerialization.data(withJSONObject: ["to": to, "text": "hi"]), as: UTF8.self)
            let answer = try await Self.post(client, "/v1/messages", body, contentType: "application/json")
            #expect(answer.status == .badRequest)
            #expect(answer.code == "invalid_recipient")
            #expect(await host.requests.all().isEmpty)
        }
    }
}
