import Foundation

/// Checks where a webhook's host resolves just before each delivery. Registration sees only the URL, and a name can
/// point at a private address, or be pointed at one later; numeric hosts are read the way the resolver reads them.
struct WebhookAddressGuard: Sendable {
    let allowPrivateNetworks: Bool
    var resolve: @Sendable (String) async throws -> [NetworkAddress] = HostResolver.system

    /// Why no delivery may be made to `url` now; nil when it may.
    func problem(with url: String) async -> String? {
        guard !allowPrivateNetworks else { return nil }
        guard let host = URL(string: url)?.host?.lowercased(), !host.isEmpty else { return "url has no host" }
        let advice = "; set webhooks.allowPrivateNetworks to allow it"
        if WebhookURLPolicy.isPrivate(host: host) { return "url points at a private or loopback address" + advice }
        if NetworkAddress(numericHost: host) != nil { return nil }
        let addresses: [NetworkAddress]
        do {
            addresses = try await resolve(host)
        } catch {
            return "could not resolve \(host)"
        }
        if let blocked = addresses.first(where: \.isPrivate) { return "\(host) resolves to a private address (\(blocked))" + advice }
        return addresses.isEmpty ? "could not resolve \(host)" : nil
    }
}
