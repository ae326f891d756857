import Foundation

/// Klaros's signed webhook events: `{id, type, created_at, data}` with `X-Klaros-Signature: sha256=<hex HMAC of the body>`.
enum KlarosEvents {
    static func callback(url: String, secret: String, type: String, data: [String: String], delayMs: Int) -> SimulatedCallback {
        let id = "evt_" + UUID().uuidString.lowercased()
        let event: [String: Any] = ["id": id, "type": type, "created_at": ISO8601DateFormatter().string(from: Date()), "data": data]
        let (body, signature) = SimulatorResponses.signedJSON(event, secret: secret)
        return SimulatedCallback(
            method: "POST", url: url,
            headers: [("Content-Type", "application/json"), ("X-Klaros-Event", type), ("X-Klaros-Delivery", id), ("X-Klaros-Signature", signature)],
            body: body, delayMs: delayMs)
    }
}
