import Foundation

/// Checks where a webhook's host resolves just before each delivery. Registration sees only the URL, and a name can
/// point at a private address, or be pointed at one later; numeric hosts are read the way the resolver reads them.
struct WebhookAddressGuard: Sendable {
    /// What a delivery may do: not be made, or be made; for a name, only to the addresses checked (`PinnedClients`).
    enum Verdict: Sendable, Equatable {
        case refuse(String)
        case send(pin: Pin?)
    }

    /// A host name as the URL spells it, with the addresses it resolved to when checked.
    struct Pin: Sendable, Equatable {
        var host: String
        var addresses: [NetworkAddress]
    }

    let allowPrivateNetworks: Bool
    var resolve: @Sendable (String) async throws -> [NetworkAddress] = HostResolver.system
    /// Whether a resolved address may be connected to; tests widen it to reach loopback through a name.
    var admits: @Sendable (NetworkAddress) -> Bool = { !$0.isPrivate }

    /// Whether, and where, a delivery to `url` may be made now.
    func check(_ url: String) async -> Verdict {
        guard !allowPrivateNetworks else { return .send(pin: nil) }
        guard let spelled = URL(string: url)?.host, !spelled.isEmpty else { return .refuse("url has no host") }
        let host = spelled.lowercased()
        let advice = "; set webhooks.allowPrivateNetworks to allow it"
        if WebhookURLPolicy.isPrivate(host: host) { return .refuse("url points at a private or loopback address" + advice) }
        if NetworkAddress(numericHost: host) != nil { return .send(pin: nil) }
        let addresses: [NetworkAddress]
        do {
            addresses = try await resolve(host)
        } catch {
            return .refuse("could not resolve \(host)")
        }
        if let blocked = addresses.first(where: { !admits($0) }) { return .refuse("\(host) resolves to a private address (\(blocked))" + advice) }
        return addresses.isEmpty ? .refuse("could not resolve \(host)") : .send(pin: Pin(host: spelled, addresses: addresses))
    }
}
