import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Known paths with a method they do not take used to answer 404.
@Suite struct HTTPMethodTests {
    @Test(arguments: [
        (HTTPRequest.Method.put, "/v1/messages", "GET, HEAD, POST"), (.options, "/v1/messages", "GET, HEAD, POST"),
        (.trace, "/v1/messages", "GET, HEAD, POST"), (.delete, "/v1/messages/msg_123", "GET, HEAD"),
        (.post, "/healthz", "GET, HEAD"),
        (.put, "/v1/webhooks/wh_1", "DELETE"), (.delete, "/inbound/klaros/klaros", "POST"),
    ])
    func aMethodThePathDoesNotTakeIs405WithAllow(method: HTTPRequest.Method, path: String, allow: String) async throws {
        try await GatewayHarness.withRouter { client, _, _ in
            let answer = try await client.execute(uri: path, method: method, headers: GatewayHarness.auth) { response in
                (response.status, response.headers[.allow], (try? GatewayHarness.json(response.body))?.errorCode)
            }
            #expect(answer.0 == .methodNotAllowed)
            #expect(answer.1 == allow)
            #expect(answer.2 == "method_not_allowed")
        }
    }

    @Test func anUnknownPathIsStill404() async throws {
        try await GatewayHarness.withRouter { client, _, _ in
            let nowhere = try await client.execute(uri: "/v1/nowhere", method: .put, headers: GatewayHarness.auth) {
                $0.status
            }
            let tooDeep = try await client.execute(uri: "/v1/messages/a/b", method: .get, headers: GatewayHarness.auth)
            { $0.status }
            #expect(nowhere == .notFound)
            #expect(tooDeep == .notFound)
        }
    }

    @Test(arguments: ["/healthz", "/v1/messages", "/v1/accounts", "/openapi.json"])
    func headAnswersLikeGetWithoutABody(path: String) async throws {
        try await GatewayHarness.withRouter { client, _, _ in
            let get = try await client.execute(uri: path, method: .get, headers: GatewayHarness.auth) {
                ($0.status, $0.headers[.contentType])
            }
            let head = try await client.execute(uri: path, method: .head, headers: GatewayHarness.auth) { response in
                (response.status, response.headers[.contentType], response.body.readableBytes)
            }
            #expect(head.0 == get.0)
            #expect(head.1 == get.1)
            #expect(head.2 == 0)
        }
    }
}
