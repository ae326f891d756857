#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SwitchboardCore

/// gateway.json `server`: where the gateway listens, how providers reach it, and how long a connection may be held.
public struct ServerSettings: Sendable, Codable, Hashable {
    public var host: String = "127.0.0.1"
    public var port: Int = 8080
    /// The gateway's address as providers see it, for status callbacks. Defaults to http://host:port.
    public var publicURL: String?
    /// How long a request head may take to arrive once its first byte has.
    public var headerTimeoutMs: Int = ServerSettings.defaultHeaderTimeoutMs
    /// How long a keep-alive connection may sit between requests.
    public var idleTimeoutMs: Int = ServerSettings.defaultIdleTimeoutMs
    /// Open connections past which the gateway stops accepting (new ones wait in the listen backlog), so that file
    /// descriptors stay for the store, the providers and `/healthz`. Nil: `defaultMaxConnections`.
    public var maxConnections: Int?
    /// Where `serve` writes its process id, for `switchboard reload`; nil writes none.
    public var pidFile: String?

    public static let defaultHeaderTimeoutMs = 10_000
    public static let defaultIdleTimeoutMs = 75_000

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
        headerTimeoutMs = try container.decodeIfPresent(Int.self, forKey: .headerTimeoutMs) ?? Self.defaultHeaderTimeoutMs
        idleTimeoutMs = try container.decodeIfPresent(Int.self, forKey: .idleTimeoutMs) ?? Self.defaultIdleTimeoutMs
        maxConnections = try container.decodeIfPresent(Int.self, forKey: .maxConnections)
        pidFile = try container.decodeIfPresent(String.self, forKey: .pidFile)
    }

    /// `maxConnections`, or 4096 capped at half the process's open-file limit.
    public var effectiveMaxConnections: Int { maxConnections ?? Self.defaultMaxConnections }

    public static var defaultMaxConnections: Int {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur < 1 << 40 else { return 4096 }
        return max(16, min(4096, Int(limit.rlim_cur / 2)))
    }

    /// Problems with the connection limits, as JSON paths and messages.
    func problems() -> [(path: String, message: String)] {
        var problems: [(String, String)] = []
        if !(100...600_000).contains(headerTimeoutMs) {
            problems.append(("$.server.headerTimeoutMs", "must be 100 to 600000 milliseconds"))
        }
        if !(100...3_600_000).contains(idleTimeoutMs) {
            problems.append(("$.server.idleTimeoutMs", "must be 100 to 3600000 milliseconds"))
        }
        if let maxConnections, !(1...1_000_000).contains(maxConnections) {
            problems.append(("$.server.maxConnections", "must be 1 to 1000000"))
        }
        return problems
    }
}

/// gateway.json `storage`: one SQLite file (the default), or a PostgreSQL database shared by several instances.
public struct StorageSettings: Sendable, Decodable, Hashable {
    public enum Backend: Sendable, Hashable {
        /// A file; ":memory:" keeps nothing across restarts.
        case sqlite(String)
        case postgres(PostgresURL)
    }

    public var backend: Backend
    /// How long an instance on PostgreSQL stays alive without renewing its lease; a survivor settles a dead
    /// instance's work once its lease lapses.
    public var leaseSeconds: Double

    public static let defaultLeaseSeconds = 15.0

    public init(_ backend: Backend = .sqlite("data/switchboard.sqlite"), leaseSeconds: Double = Self.defaultLeaseSeconds) {
        self.backend = backend
        self.leaseSeconds = leaseSeconds
    }

    private enum CodingKeys: String, CodingKey { case sqlite, postgres, leaseSeconds }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let sqlite = try container.decodeIfPresent(String.self, forKey: .sqlite)
        let postgres = try container.decodeIfPresent(String.self, forKey: .postgres)
        leaseSeconds = try container.decodeIfPresent(Double.self, forKey: .leaseSeconds) ?? Self.defaultLeaseSeconds
        guard (3...600).contains(leaseSeconds) else {
            throw DecodingError.dataCorruptedError(forKey: .leaseSeconds, in: container, debugDescription: "must be 3 to 600 seconds")
        }
        switch (sqlite, postgres) {
        case (let path?, nil):
            guard !path.isEmpty else {
                throw DecodingError.dataCorruptedError(forKey: .sqlite, in: container, debugDescription: "must name a file")
            }
            backend = .sqlite(path)
        case (nil, let text?):
            do {
                backend = .postgres(try PostgresURL(parsing: text))
            } catch {
                // The reason never repeats the URL, so a password in it stays out of the message.
                throw DecodingError.dataCorruptedError(forKey: .postgres, in: container, debugDescription: error.reason)
            }
        case (nil, nil):
            backend = .sqlite("data/switchboard.sqlite")
        case (_?, _?):
            throw DecodingError.dataCorruptedError(
                forKey: .postgres, in: container, debugDescription: "give either sqlite or postgres, not both")
        }
    }
}

/// gateway.json `webhooks`: outbound webhooks to apps.
public struct WebhookSettings: Sendable, Codable, Hashable {
    /// Allow webhook URLs on loopback and private networks (for development and tests).
    public var allowPrivateNetworks: Bool = false
    public init(allowPrivateNetworks: Bool = false) { self.allowPrivateNetworks = allowPrivateNetworks }
}
