import Crypto
import Foundation

/// Klaros's signed webhook events: `{id, type, created_at, data}` with `X-Klaros-Signature: sha256=<hex HMAC of the body>`.
enum KlarosEvents {
    static func callback(url: String, secret: String, type: String, data: [String: String], delayMs: Int) -> SimulatedCallback {
        let id = "evt_" + UUID().uuidString.lowercased()
        let event: [String: Any] = ["id": id, "type": type, "created_at": ISO8601DateFormatter().string(from: Date()), "data": data]
        let body = String(decoding: (try? JSONSerialization.data(withJSONObject: event, options: [.sortedKeys])) ?? Data(), as: UTF8.self)
        let mac = HMAC<SHA256>.authenticationCode(for: Data(body.utf8), using: SymmetricKey(data: Data(secret.utf8)))
        let signature = "sha256=" + mac.map { String(format: "%02x", $0) }.joined()
        return SimulatedCallback(
            method: "POST", url: url,
            headers: [("Content-Type", "application/json"), ("X-Klaros-Event", type), ("X-Klaros-Delivery", id), ("X-Klaros-Signature", signature)],
            body: body, delayMs: delayMs)
    }
}
