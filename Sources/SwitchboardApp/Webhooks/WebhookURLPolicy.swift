import Foundation

/// Which webhook URLs apps may register: http(s) only; loopback, private and link-local addresses only when allowed.
struct WebhookURLPolicy: Sendable {
    let allowPrivateNetworks: Bool

    func problem(with text: String) -> String? {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme) else {
            return "url must be an http or https URL"
        }
        guard let host = url.host?.lowercased(), !host.isEmpty else { return "url has no host" }
        if url.user != nil || url.password != nil { return "url must not carry credentials" }
        if !allowPrivateNetworks, Self.isPrivate(host: host) {
            return "url points at a private or loopback address; set webhooks.allowPrivateNetworks to allow it"
        }
        return nil
    }

    static func isPrivate(host: String) -> Bool {
        let bare = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        if bare == "localhost" || bare.hasSuffix(".localhost") || bare.hasSuffix(".local") || bare.hasSuffix(".internal") { return true }
        let octets = bare.split(separator: ".").compactMap { UInt8($0) }
        if octets.count == 4, bare.split(separator: ".").count == 4 {
            switch (octets[0], octets[1]) {
            case (10, _), (127, _), (0, _): return true
            case (172, 16...31), (192, 168), (169, 254), (100, 64...127): return true
            default: return false
            }
        }
        if bare.contains(":") {
            return bare == "::1" || bare == "::" || bare.hasPrefix("fc") || bare.hasPrefix("fd") || bare.hasPrefix("fe80") || bare.hasPrefix("::ffff:")
        }
        return false
    }
}
