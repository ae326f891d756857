import Foundation
import Logging
import PostgresNIO
import SwitchboardCore
import SwitchboardStore

/// The throwaway cluster `scripts/test` starts: each test gets a database of its own, dropped afterwards.
enum TestPostgres {
    static var url: PostgresURL? {
        ProcessInfo.processInfo.environment["SWITCHBOARD_TEST_POSTGRES_URL"].flatMap { try? PostgresURL(parsing: $0) }
    }

    static var available: Bool { url != nil }

    static let logger: Logger = {
        var logger = Logger(label: "test-postgres")
        // The pool logs each connection a cancelled test cuts off at info.
        logger.logLevel = .warning
        return logger
    }()

    /// Runs `body` while `client` runs.
    static func running<T: Sendable>(_ client: PostgresClient, _ body: () async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            return try await body()
        }
    }

    /// Where one test's tables go: a new, empty schema in the cluster's test database. Creating a database per test
    /// copied the template and wrote it to the WAL each time, which starved the other suites on 2 cores.
    struct Target: Sendable {
        var url: PostgresURL
        var schema: String

        func database() -> PostgresStoreDatabase { PostgresStoreDatabase(url: url, schema: schema, logger: logger) }
    }

    /// Runs `body` with a new, empty schema, dropped afterwards.
    static func withDatabase(_ body: (Target) async throws -> Void) async throws {
        guard let url else { throw CancellationError() }
        let name = "sb_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        let admin = PostgresStoreDatabase(url: url, logger: logger).client
        try await running(admin) {
            try await admin.query(PostgresQuery(unsafeSQL: "CREATE SCHEMA \(name)"), logger: logger)
            do {
                try await body(Target(url: url, schema: name))
            } catch {
                try await admin.query(PostgresQuery(unsafeSQL: "DROP SCHEMA \(name) CASCADE"), logger: logger)
                throw error
            }
            try await admin.query(PostgresQuery(unsafeSQL: "DROP SCHEMA \(name) CASCADE"), logger: logger)
        }
    }
}
