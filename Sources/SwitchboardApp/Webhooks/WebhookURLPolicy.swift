import Foundation

/// Which webhook URLs apps may register: http(s) only; loopback, private and link-local addresses only when allowed.
struct WebhookURLPolicy: Sendable {
    let allowPrivateNetworks: Bool

    /// The shape openapi.json states for a webhook URL: a host name (no IPv6 literal, no credentials), an optional
    /// port, path and query, in characters every HTTP client sends as written.
    static let shape = #"^https?://[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?(:([1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5]))?(/[A-Za-z0-9._~!$&'()*+,;=:@/-]*)?(\?[A-Za-z0-9._~!$&'()*+,;=:@/?-]*)?$"#

    func problem(with text: String) -> String? {
        guard text.utf8.count <= 2048, (try? Regex(Self.shape).wholeMatch(in: text)) != nil else {
            return "url must be http(s)://host[:port][/path][?query], at most 2048 characters, with a host name (no IPv6 literal)"
        }
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

    /// Names that mean this machine or a local network, and addresses (in any form the resolver reads) in private,
    /// loopback, link-local and reserved ranges.
    static func isPrivate(host: String) -> Bool {
        var bare = host.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        if bare.hasSuffix(".") { bare.removeLast() }  // "localhost." is localhost to the resolver
        if bare == "localhost" || bare.hasSuffix(".localhost") || bare.hasSuffix(".local") || bare.hasSuffix(".internal") { return true }
        return NetworkAddress(numericHost: bare)?.isPrivate ?? false
    }
}
