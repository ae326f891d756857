import SwitchboardCore

/// Reads Kaleyra's answers: per-recipient ids on success, and every error body form seen in the wild.
struct KaleyraResponseParser: Sendable {
    let catalog: ProviderCatalog

    func results(for recipients: [PhoneNumber], response: ProviderResponse) -> [RecipientResult] {
        let json = JSONValue.parse(response.body)
        guard (200..<300).contains(response.status) else {
            return RecipientResult.failing(recipients, with: failure(status: response.status, json: json, retryAfterMs: response.retryAfterMs, raw: response.body))
        }
        let entries = json?["data"]?.array ?? []
        var idsByRecipient: [String: String] = [:]
        var idsInOrder: [String] = []
        for entry in entries {
            guard let id = entry["message_id"]?.text else { continue }
            idsInOrder.append(id)
            if let recipient = entry["recipient"]?.text { idsByRecipient[digits(recipient)] = id }
        }
        let requestId = json?["id"]?.text
        let errorObject = json?["error"]?.object ?? [:]
        return recipients.enumerated().map { index, recipient in
            // Match by recipient first; fall back to position, then to Kaleyra's "<id>:<n>" scheme.
            let id = idsByRecipient[recipient.digits]
                ?? (idsByRecipient.isEmpty && index < idsInOrder.count ? idsInOrder[index] : nil)
                ?? (entries.isEmpty && errorObject.isEmpty ? requestId.map { "\($0):\(index)" } : nil)
            if let id {
                return RecipientResult(recipient: recipient, outcome: .accepted(providerMessageId: id, status: "accepted"))
            }
            let missing = errorObject.isEmpty
                ? ProviderFailure(.ambiguous, message: "Kaleyra accepted the request but returned no id for this recipient", httpStatus: response.status)
                : failure(status: 400, json: json, retryAfterMs: nil, raw: response.body)
            return RecipientResult(recipient: recipient, outcome: .failed(missing))
        }
    }

    /// Error bodies carry a `code`, an `error` object keyed by parameter, `{"error": {"error": msg}}`, or a mix.
    func failure(status: Int, json: JSONValue?, retryAfterMs: Int?, raw: [UInt8]) -> ProviderFailure {
        let errorObject = json?["error"]?.object ?? [:]
        var code = json?["code"]?.text ?? errorObject["code"]?.text
        var message = json?["message"]?.text ?? errorObject["message"]?.text
        if code == nil {
            for (parameter, mapped) in (catalog.errorParameters ?? [:]).sorted(by: { $0.key < $1.key }) {
                if let text = errorObject[parameter]?.text {
                    code = mapped
                    message = message ?? "\(parameter): \(text)"
                    break
                }
            }
        }
        if message == nil {
            message = errorObject["error"]?.text
                ?? errorObject.sorted(by: { $0.key < $1.key }).compactMap { key, value in value.text.map { "\(key): \($0)" } }.first
                ?? String(decoding: raw.prefix(300), as: UTF8.self)
        }
        let rule = code.flatMap(catalog.rule(forCode:))
        let failureClass = rule?.class
            ?? catalog.failureClass(forStatus: status)
            ?? (status >= 500 ? .unavailable : .invalidContent)
        return ProviderFailure(
            failureClass, providerCode: code, message: message ?? "HTTP \(status)", httpStatus: status,
            retryAfterMs: retryAfterMs, scope: rule?.scope ?? .account)
    }

    private func digits(_ text: String) -> String { text.hasPrefix("+") ? String(text.dropFirst()) : text }
}
