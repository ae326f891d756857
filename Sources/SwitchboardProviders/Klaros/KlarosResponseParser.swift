import SwitchboardCore

/// Reads Klaros's answers: `waMessageId`/`sentStatus` at the top level or under `data`, the 409 `needsTemplate`,
/// and WhatsApp Cloud API error bodies (`{"error": {"code", "message", "error_data", "is_transient"}}`).
struct KlarosResponseParser: Sendable {
    let catalog: ProviderCatalog

    func result(for recipient: PhoneNumber, response: ProviderResponse) -> RecipientResult {
        let json = JSONValue.parse(response.body)
        guard (200..<300).contains(response.status) else {
            return RecipientResult(recipient: recipient, outcome: .failed(failure(status: response.status, json: json, retryAfterMs: response.retryAfterMs, raw: response.body)))
        }
        let payload = json?["data"]?.object != nil ? json?["data"] : json
        let id = payload?["waMessageId"]?.text ?? payload?["wa_message_id"]?.text ?? payload?["id"]?.text
        let status = payload?["sentStatus"]?.text ?? payload?["status"]?.text ?? "accepted"
        guard let id else {
            // A 2xx without an id: it was taken, but we cannot correlate it.
            return RecipientResult(recipient: recipient, outcome: .accepted(providerMessageId: "", status: status))
        }
        return RecipientResult(recipient: recipient, outcome: .accepted(providerMessageId: id, status: status))
    }

    func failure(status: Int, json: JSONValue?, retryAfterMs: Int?, raw: [UInt8]) -> ProviderFailure {
        let errorValue = json?["error"]
        let errorObject = errorValue?.object
        if json?["needsTemplate"]?.bool == true || errorObject?["needsTemplate"]?.bool == true {
            let message = json?["message"]?.text ?? errorValue?.text ?? "outside the 24-hour window: send a template"
            return ProviderFailure(.needsTemplate, providerCode: "needsTemplate", message: message, httpStatus: status)
        }
        return GraphAPIError.failure(status: status, json: json, retryAfterMs: retryAfterMs, raw: raw, catalog: catalog)
    }
}
