import SwitchboardCore

/// Kaleyra's documented rejections, checked before any request: E13009 for `to`, E413 for HTML outside `body`,
/// and the 255-character limit on ref/ref1/ref2.
struct KaleyraValidator: Sendable {
    let limits: ProviderCatalog.Limits

    func recipientFailure(_ recipient: PhoneNumber) -> ProviderFailure? {
        (8...15).contains(recipient.digits.count) ? nil
            : ProviderFailure(.invalidRecipient, providerCode: "E13009", message: "to: \(recipient) is not a valid E.164 number")
    }

    func contentFailure(_ request: SendRequest) -> ProviderFailure? {
        var checked: [(String, String)] = [("ref", request.ref ?? ""), ("ref1", request.ref1 ?? ""), ("ref2", request.ref2 ?? "")]
        for (name, value) in checked where value.count > limits.refMaxLength {
            return ProviderFailure(.invalidContent, providerCode: "E13001", message: "\(name) is longer than \(limits.refMaxLength) characters")
        }
        switch request.body {
        case .text(let body):
            if body.isEmpty { return ProviderFailure(.invalidContent, providerCode: "E13001", message: "body is empty") }
            if body.count > limits.textMaxLength {
                return ProviderFailure(.invalidContent, providerCode: "E13001", message: "body is longer than \(limits.textMaxLength) characters")
            }
        case .template(let template):
            checked += [("template_name", template.name), ("lang_code", template.language)]
            for (index, param) in template.params.enumerated() {
                // Kaleyra joins params with commas and documents no escape, so a comma would split a value.
                if param.contains(",") {
                    return ProviderFailure(
                        .unsupportedContent, providerCode: "E13001",
                        message: "params[\(index)] contains a comma, which Kaleyra cannot carry")
                }
                checked.append(("params[\(index)]", param))
            }
        }
        for (name, value) in checked where HTMLTag.isPresent(in: value) {
            // Kaleyra refuses tags outside the body; other providers carry them.
            return ProviderFailure(.unsupportedContent, providerCode: "E413", message: "\(name) contains HTML tags")
        }
        return nil
    }
}

/// Something shaped like an HTML tag: `<` then a letter, `/` or `!`, and a `>` before any further `<`.
enum HTMLTag {
    static func isPresent(in text: String) -> Bool {
        let chars = Array(text)
        var index = 0
        while index < chars.count {
            defer { index += 1 }
            guard chars[index] == "<", index + 1 < chars.count else { continue }
            let next = chars[index + 1]
            guard next.isLetter || next == "/" || next == "!" else { continue }
            var end = index + 2
            while end < chars.count, chars[end] != "<", chars[end] != ">" { end += 1 }
            if end < chars.count, chars[end] == ">" { return true }
        }
        return false
    }
}
