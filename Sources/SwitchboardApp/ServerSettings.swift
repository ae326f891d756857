/// gateway.json `server`: where the gateway listens and how providers reach it.
public struct ServerSettings: Sendable, Codable, Hashable {
    public var host: String = "127.0.0.1"
    public var port: Int = 8080
    /// The gateway's address as providers see it, for status callbacks. Defaults to http://host:port.
    public var publicURL: String?

    public init(host: String = "127.0.0.1", port: Int = 8080, publicURL: String? = nil) {
        self.host = host
        self.port = port
        self.publicURL = publicURL
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        host = try container.decodeIfPresent(String.self, forKey: .host) ?? "127.0.0.1"
        port = try container.decodeIfPresent(Int.self, forKey: .port) ?? 8080
        publicURL = try container.decodeIfPresent(String.self, forKey: .publicURL)
    }
}

/// gateway.json `storage`.
public struct StorageSettings: Sendable, Codable, Hashable {
    /// SQLite file; ":memory:" keeps nothing across restarts.
    public var sqlite: String = "data/switchboard.sqlite"
    public init(sqlite: String = "data/switchboard.sqlite") { self.sqlite = sqlite }
}

/// gateway.json `webhooks`: outbound webhooks to apps.
public struct WebhookSettings: Sendable, Codable, Hashable {
    /// Allow webhook URLs on loopback and private networks (for development and tests).
    public var allowPrivateNetworks: Bool = false
    public init(allowPrivateNetworks: Bool = false) { self.allowPrivateNetworks = allowPrivateNetworks }
}
