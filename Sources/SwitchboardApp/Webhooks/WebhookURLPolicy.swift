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

    /// Names that mean this machine or a local network, and addresses (in any form the resolver reads) in private,
    /// loopback, link-local and reserved ranges.
    static func isPrivate(host: String) -> Bool {
        var bare = host.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        if bare.hasSuffix(".") { bare.removeLast() }  // "localhost." is localhost to the resolver
        if bare == "localhost" || bare.hasSuffix(".localhost") || bare.hasSuffix(".local") || bare.hasSuffix(".internal") { return true }
        return NetworkAddress(numericHost: bare)?.isPrivate ?? false
    }
}
