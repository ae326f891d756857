import SwitchboardCore

/// Meta's Graph API error body, `{"error": {"code", "message", "error_data": {"details"}, "is_transient"}}`, as the
/// WhatsApp Cloud API answers it and as providers built on it pass it through. Classified by `code`, never by text.
enum GraphAPIError {
    static func failure(
        status: Int, json: JSONValue?, retryAfterMs: Int?, raw: [UInt8], catalog: ProviderCatalog
    ) -> ProviderFailure {
        let errorValue = json?["error"]
        let errorObject = errorValue?.object
        let code = errorObject?["code"]?.text ?? json?["code"]?.text
        let details = errorObject?["error_data"]?["details"]?.text
        let message = errorObject?["message"]?.text ?? errorValue?.text ?? json?["message"]?.text
            ?? String(decoding: raw.prefix(300), as: UTF8.self)
        let rule = code.flatMap(catalog.rule(forCode:))
        var failureClass = rule?.class
            ?? catalog.failureClass(forStatus: status)
            ?? (status >= 500 ? .unavailable : .invalidContent)
        // Meta marks some errors transient; those are worth another try whatever the code says.
        if errorObject?["is_transient"]?.bool == true, failureClass != .rateLimited { failureClass = .unavailable }
        return ProviderFailure(
            failureClass, providerCode: code, message: details.map { "\(message): \($0)" } ?? message,
            httpStatus: status, retryAfterMs: retryAfterMs, scope: rule?.scope ?? .account)
    }
}
