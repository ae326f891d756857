import Logging
import NIOSSL
import PostgresNIO
import SwitchboardCore

/// The PostgreSQL database behind a store shared by several gateways: one `PostgresClient` (a connection pool, run
/// as a Service) and the schema's migrations. Migrations run under an advisory lock, so instances starting at once
/// apply each one exactly once.
public struct PostgresStoreDatabase: Sendable {
    public let client: PostgresClient
    let logger: Logger

    /// The advisory lock key migrations hold ("SWBDMIGR" as ASCII).
    static let migrationLockKey: Int64 = 0x5357_4244_4D49_4752

    /// - Parameter schema: the schema the store's tables live in, when not the database's default (`public`); the
    ///   tests give each test a schema of its own, which costs far less than a database.
    public init(url: PostgresURL, schema: String? = nil, logger: Logger) {
        var configuration = PostgresClient.Configuration(
            host: url.host, port: url.port, username: url.username, password: url.password?.value,
            database: url.database, tls: Self.tls(url.tls))
        configuration.options.maximumConnections = 20
        if let schema { configuration.options.additionalStartupParameters = [("search_path", schema)] }
        // Services start side by side, so the first leases can come before the pool runs, which the pool warns of
        // though it serves them once running; store failures are reported by the gateway's own services instead.
        var background = logger
        background.logLevel = max(logger.logLevel, .error)
        client = PostgresClient(configuration: configuration, backgroundLogger: background)
        self.logger = logger
    }

    /// The database could not be reached or refused the connection; says where, never the password.
    public struct Unreachable: Error, Sendable, CustomStringConvertible {
        public var host: String
        public var port: Int
        public var reason: String
        public var description: String { "cannot connect to PostgreSQL at \(host):\(port): \(reason)" }
    }

    /// Readies the database for an instance before anything else uses it, on one connection of its own: applies the
    /// migrations and registers the instance's lease. A database that cannot be reached throws `Unreachable` with the
    /// reason, instead of leaving the gateway waiting on a pool that keeps retrying.
    public static func prepare(
        _ url: PostgresURL, instanceId: String, leaseSeconds: Double, timeout: Duration = .seconds(10), logger: Logger
    ) async throws {
        var configuration = PostgresConnection.Configuration(
            host: url.host, port: url.port, username: url.username, password: url.password?.value,
            database: url.database, tls: try connectionTLS(url.tls))
        configuration.options.connectTimeout = .seconds(timeout.components.seconds)
        do {
            let connection = try await PostgresConnection.connect(configuration: configuration, id: 0, logger: logger)
            do {
                try await migrate(PostgresMigration.all, on: connection, logger: logger)
                try await connection.query(
                    PostgresGatewayStore.renewal(instanceId: instanceId, seconds: leaseSeconds), logger: logger)
            } catch {
                try? await connection.close()
                throw error
            }
            try? await connection.close()
        } catch let error as PSQLError {
            let reason = error.serverInfo?[.message] ?? error.underlying.map { "\($0)" } ?? "\(error.code)"
            throw Unreachable(host: url.host, port: url.port, reason: reason)
        } catch {
            throw Unreachable(host: url.host, port: url.port, reason: "\(error)")
        }
    }

    private static func connectionTLS(_ mode: PostgresURL.TLSMode) throws -> PostgresConnection.Configuration.TLS {
        switch mode {
        case .disable: .disable
        case .prefer: .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
        case .require: .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
        }
    }

    private static func tls(_ mode: PostgresURL.TLSMode) -> PostgresClient.Configuration.TLS {
        switch mode {
        case .disable: .disable
        case .prefer: .prefer(.makeClientConfiguration())
        case .require: .require(.makeClientConfiguration())
        }
    }

    /// Applies the migrations this database lacks, in order, each in its own transaction, holding the advisory lock
    /// on one connection throughout. Returns the versions it applied.
    @discardableResult
    public func migrate(_ migrations: [PostgresMigration] = PostgresMigration.all) async throws -> [String] {
        try await client.withConnection { connection in
            try await Self.migrate(migrations, on: connection, logger: logger)
        }
    }

    static func migrate(
        _ migrations: [PostgresMigration], on connection: PostgresConnection, logger: Logger
    ) async throws -> [String] {
        try await connection.query("SELECT pg_advisory_lock(\(Self.migrationLockKey))", logger: logger)
        do {
            let applied = try await apply(migrations, on: connection, logger: logger)
            try await connection.query("SELECT pg_advisory_unlock(\(Self.migrationLockKey))", logger: logger)
            return applied
        } catch {
            // The lock belongs to the session: unlock before the connection goes back to the pool.
            _ = try? await connection.query("SELECT pg_advisory_unlock(\(Self.migrationLockKey))", logger: logger)
            throw error
        }
    }

    private static func apply(
        _ migrations: [PostgresMigration], on connection: PostgresConnection, logger: Logger
    ) async throws -> [String] {
        try await connection.query(
            "CREATE TABLE IF NOT EXISTS schema_migration (version TEXT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL)",
            logger: logger)
        var done: Set<String> = []
        for try await version in try await connection.query("SELECT version FROM schema_migration", logger: logger)
            .decode(String.self)
        {
            done.insert(version)
        }
        var applied: [String] = []
        for migration in migrations where !done.contains(migration.version) {
            try await connection.withTransaction(logger: logger) { transaction in
                for statement in migration.statements {
                    try await transaction.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await transaction.query(
                    "INSERT INTO schema_migration (version, applied_at) VALUES (\(migration.version), now())",
                    logger: logger)
            }
            applied.append(migration.version)
        }
        return applied
    }
}
