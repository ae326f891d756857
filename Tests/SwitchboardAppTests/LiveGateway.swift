import AsyncHTTPClient
import Foundation
import Hummingbird
import NIOCore
import NIOHTTP1

/// Runs an application on the address its configuration names (HummingbirdTesting's `.live` forces port 0, but
/// simulators calling back need the gateway's URL before it starts), with a small JSON client for it.
struct LiveGateway: Sendable {
    let baseURL: String

    static func run<App: ApplicationProtocol, T: Sendable>(_ app: App, port: Int, _ body: @Sendable (LiveGateway) async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await app.run(); return nil }
            let gateway = LiveGateway(baseURL: "http://127.0.0.1:\(port)")
            while (try? await gateway.request("GET", "/healthz", headers: [:]))?.status != 200 { try await Task.sleep(for: .milliseconds(20)) }
            let result = try await body(gateway)
            group.cancelAll()
            return result
        }
    }

    func request(_ method: String, _ uri: String, body: String? = nil, headers: [String: String] = ["Authorization": "Bearer \(GatewayHarness.apiKey)"]) async throws -> (status: Int, json: [String: Any]) {
        var request = HTTPClientRequest(url: baseURL + uri)
        request.method = HTTPMethod(rawValue: method)
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: body))
        }
        let response = try await GatewayHarness.client.execute(request, timeout: .seconds(10))
        let bytes = try await response.body.collect(upTo: 1 << 20)
        return (Int(response.status.code), (try? JSONSerialization.jsonObject(with: Data(buffer: bytes)) as? [String: Any]) ?? [:])
    }
}
