import Crypto
import Foundation
import Hummingbird
import NIOCore

/// Helpers shared by the two simulators' handlers.
enum SimulatorResponses {
    static func json(_ status: HTTPResponse.Status, _ object: Any, headers: HTTPFields = [:]) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        var fields = headers
        fields[.contentType] = "application/json"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func record(_ request: Request, body: String, endpoint: String, into log: RequestLog) async {
        var headers: [String: String] = [:]
        for field in request.headers { headers[field.name.canonicalName] = field.value }
        await log.append(RecordedRequest(
            endpoint: endpoint, method: request.method.rawValue, path: request.uri.path,
            query: request.uri.query ?? "", headers: headers, body: body))
    }

    static func collectBody(_ request: Request) async throws -> String {
        let buffer = try await request.body.collect(upTo: 1 << 20)
        return String(buffer: buffer)
    }

    /// E.164 digits with an optional +: 8 to 15 digits, no leading zero.
    static func isE164(_ text: String) -> Bool {
        let digits = text.hasPrefix("+") ? text.dropFirst() : Substring(text)
        return (8...15).contains(digits.count) && digits.allSatisfy { $0.isASCII && $0.isNumber } && digits.first != "0"
    }

    static func digits(_ text: String) -> String { text.hasPrefix("+") ? String(text.dropFirst()) : text }

    /// Anything shaped like a tag: `<` followed by a letter, `/` or `!`, closed by `>`.
    static func containsHTML(_ text: String) -> Bool {
        text.range(of: "<[A-Za-z/!][^<>]*>", options: .regularExpression) != nil
    }

    /// `object` as JSON with sorted keys, and `sha256=<hex HMAC-SHA256 of those bytes>` keyed with `secret`: how
    /// both Meta's and Klaros's webhooks are signed.
    static func signedJSON(_ object: [String: Any], secret: String) -> (body: String, signature: String) {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
        let mac = HMAC<SHA256>.authenticationCode(for: data, using: SymmetricKey(data: Data(secret.utf8)))
        return (String(decoding: data, as: UTF8.self), "sha256=" + mac.map { String(format: "%02x", $0) }.joined())
    }

    static func sleep(ms: Int) async {
        if ms > 0 { try? await Task.sleep(for: .milliseconds(ms)) }
    }
}
