import Crypto
import Foundation
import Hummingbird
import Logging
import SwitchboardHTTP

/// An app's webhook endpoint for tests: records every delivery it gets, answering with a configurable status.
actor WebhookInbox {
    struct Delivery: Sendable {
        var headers: [String: String]
        var body: Data
    }
    private(set) var deliveries: [Delivery] = []
    var answer: HTTPResponse.Status = .noContent
    func append(_ delivery: Delivery) { deliveries.append(delivery) }
    func setAnswer(_ status: HTTPResponse.Status) { answer = status }

    /// Waits until the deliveries so far satisfy `done`, or the timeout passes.
    func waitUntil(timeout: Duration = .seconds(10), _ done: @Sendable ([Delivery]) -> Bool) async throws -> [Delivery] {
        let deadline = ContinuousClock.now + timeout
        while !done(deliveries), ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        return deliveries
    }

    static func types(_ deliveries: [Delivery]) -> [String] {
        deliveries.compactMap { (try? JSONSerialization.jsonObject(with: $0.body) as? [String: Any])?["type"] as? String }
    }
}

enum WebhookReceiver {
    /// Runs a receiver on a free loopback port around `body`.
    static func withReceiver<T: Sendable>(_ body: @Sendable (_ url: String, _ inbox: WebhookInbox) async throws -> T) async throws -> T {
        let inbox = WebhookInbox()
        let router = Router()
        router.post("hook") { request, _ in
            let data = Data(buffer: try await request.body.collect(upTo: 1 << 20))
            var headers: [String: String] = [:]
            for field in request.headers { headers[field.name.canonicalName] = field.value }
            // HTTP/1's Host header arrives as the request's authority.
            if let authority = request.head.authority { headers["host"] = authority }
            await inbox.append(.init(headers: headers, body: data))
            return Response(status: await inbox.answer)
        }
        let port = PortBox()
        let app = Application(
            router: router, server: .finishingHTTP1(), configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in await port.set(channel.localAddress!.port!) },
            logger: Logger(label: "receiver", factory: { _ in SwiftLogNoOpLogHandler() }))
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await app.run(); return nil }
            let bound = try await port.wait()
            let result = try await body("http://127.0.0.1:\(bound)/hook", inbox)
            group.cancelAll()
            return result
        }
    }

    /// A free loopback port, for a server whose own URL must be known before it starts.
    static func freePort() async throws -> Int {
        let port = PortBox()
        let app = Application(
            router: Router(), configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in await port.set(channel.localAddress!.port!) },
            logger: Logger(label: "probe", factory: { _ in SwiftLogNoOpLogHandler() }))
        return try await withThrowingTaskGroup(of: Int?.self) { group in
            group.addTask { try await app.run(); return nil }
            let bound = try await port.wait()
            group.cancelAll()
            return bound
        }
    }
}

actor PortBox {
    private var port: Int?
    func set(_ value: Int) { port = value }
    func wait() async throws -> Int {
        while port == nil { try await Task.sleep(for: .milliseconds(5)) }
        return port!
    }
}

/// Standard Webhooks verification, written from the specification, not from the gateway's signer.
enum StandardWebhooksVerifier {
    enum Failure: Error, Equatable { case missingHeaders, badSecret, staleTimestamp, noMatchingSignature }

    static func verify(secret: String, headers: [String: String], body: Data, now: Date = Date()) throws(Failure) {
        guard let id = headers["webhook-id"], let timestamp = headers["webhook-timestamp"].flatMap(Int.init), let signatures = headers["webhook-signature"] else {
            throw .missingHeaders
        }
        guard abs(now.timeIntervalSince1970 - Double(timestamp)) <= 300 else { throw .staleTimestamp }
        guard secret.hasPrefix("whsec_"), let key = Data(base64Encoded: String(secret.dropFirst("whsec_".count))) else { throw .badSecret }
        let content = Data("\(id).\(timestamp).".utf8) + body
        let expected = Data(HMAC<SHA256>.authenticationCode(for: content, using: SymmetricKey(data: key))).base64EncodedString()
        let candidates = signatures.split(separator: " ").compactMap { entry -> String? in
            let parts = entry.split(separator: ",", maxSplits: 1)
            return parts.count == 2 && parts[0] == "v1" ? String(parts[1]) : nil
        }
        guard candidates.contains(expected) else { throw .noMatchingSignature }
    }
}
