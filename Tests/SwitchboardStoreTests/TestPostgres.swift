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

    /// Runs `body` with the URL of a new, empty database.
    static func withDatabase(_ body: (PostgresURL) async throws -> Void) async throws {
        guard var url else { throw CancellationError() }
        let name = "sb_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        let admin = PostgresStoreDatabase(url: url, logger: logger).client
        try await running(admin) {
            try await admin.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"), logger: logger)
            url.database = name
            do {
                try await body(url)
            } catch {
                try await admin.query(PostgresQuery(unsafeSQL: "DROP DATABASE \(name) WITH (FORCE)"), logger: logger)
                throw error
            }
            try await admin.query(PostgresQuery(unsafeSQL: "DROP DATABASE \(name) WITH (FORCE)"), logger: logger)
        }
    }
}
