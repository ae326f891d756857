import Crypto
import Foundation

/// A Meta webhook notification: the JSON body with `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the body>`,
/// keyed with the app secret.
enum MetaWebhook {
    static func callback(url: String, secret: String, payload: [String: Any], delayMs: Int) -> SimulatedCallback {
        let body = String(
            decoding: (try? JSONSerialization.data(withJSONObject: payload, options: [.sortedKeys])) ?? Data(), as: UTF8.self)
        let mac = HMAC<SHA256>.authenticationCode(for: Data(body.utf8), using: SymmetricKey(data: Data(secret.utf8)))
        let signature = "sha256=" + mac.map { String(format: "%02x", $0) }.joined()
        return SimulatedCallback(
            method: "POST", url: url,
            headers: [("Content-Type", "application/json"), ("X-Hub-Signature-256", signature)],
            body: body, delayMs: delayMs)
    }
}
