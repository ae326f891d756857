/// A Meta webhook notification: the JSON body with `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the body>`,
/// keyed with the app secret.
enum MetaWebhook {
    static func callback(url: String, secret: String, payload: [String: Any], delayMs: Int) -> SimulatedCallback {
        let (body, signature) = SimulatorResponses.signedJSON(payload, secret: secret)
        return SimulatedCallback(
            method: "POST", url: url,
            headers: [("Content-Type", "application/json"), ("X-Hub-Signature-256", signature)],
            body: body, delayMs: delayMs)
    }
}
