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

    public init(url: PostgresURL, logger: Logger) {
        var configuration = PostgresClient.Configuration(
            host: url.host, port: url.port, username: url.username, password: url.password?.value,
            database: url.database, tls: Self.tls(url.tls))
        configuration.options.maximumConnections = 20
        client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.logger = logger
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
            try await connection.query("SELECT pg_advisory_lock(\(Self.migrationLockKey))", logger: logger)
            do {
                let applied = try await apply(migrations, on: connection)
                try await connection.query("SELECT pg_advisory_unlock(\(Self.migrationLockKey))", logger: logger)
                return applied
            } catch {
                // The lock belongs to the session: unlock before the connection goes back to the pool.
                _ = try? await connection.query("SELECT pg_advisory_unlock(\(Self.migrationLockKey))", logger: logger)
                throw error
            }
        }
    }

    private func apply(_ migrations: [PostgresMigration], on connection: PostgresConnection) async throws -> [String] {
        try await connection.query(
            "CREATE TABLE IF NOT EXISTS schema_migration (version TEXT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL)",
            logger: logger)
        var done: Set<String> = []
        for try await version in try await connection.query("SELECT version FROM schema_migration", logger: logger)
            .decode(String.self) {
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
