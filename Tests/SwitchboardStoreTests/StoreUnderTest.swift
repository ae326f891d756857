import Foundation
import PostgresNIO
import SwitchboardCore
import SwitchboardStore
import Testing

/// A store implementation the conformance suites run against. Each behaviour is written once, as a test taking a
/// `StoreUnderTest`, and runs on every implementation in `all`. A test gets an empty database and opens instances
/// on it: a second instance with another boot id is a restart after a crash (or, on a shared server database,
/// another gateway).
struct StoreUnderTest: Sendable, CustomTestStringConvertible {
    /// Instances on one database.
    struct Database: Sendable {
        let open: @Sendable (_ bootId: String) async throws -> any GatewayStore
        /// Ends an instance as a crash does: on a shared database its lease lapses; SQLite has nothing to do.
        let crash: @Sendable (_ bootId: String) async throws -> Void

        func store(bootId: String = "boot-1") async throws -> any GatewayStore { try await open(bootId) }
    }

    let name: String
    /// Runs `body` on a new, empty database and removes it afterwards.
    let withDatabase: @Sendable (_ body: @Sendable (Database) async throws -> Void) async throws -> Void

    var testDescription: String { name }

    /// SQLite always; PostgreSQL where scripts/test started a cluster (always in CI: PostgresInCITests).
    static let all: [StoreUnderTest] = TestPostgres.available ? [.sqlite, .postgres] : [.sqlite]

    static let sqlite = StoreUnderTest(name: "sqlite") { body in
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "switchboard-\(UUID().uuidString)"
        ).path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/gateway.sqlite"
        try await body(
            Database(
                open: { bootId in SQLiteMessageStore(database: try .open(path: path), bootId: bootId) },
                crash: { _ in }))
    }

    static let postgres = StoreUnderTest(name: "postgres") { body in
        try await TestPostgres.withDatabase { target in
            let database = target.database()
            try await TestPostgres.running(database.client) {
                try await database.migrate()
                try await body(
                    Database(
                        open: { bootId in
                            let store = PostgresGatewayStore(
                                database: database, instanceId: bootId, logger: TestPostgres.logger)
                            try await store.renewLease(seconds: 60)
                            return store
                        },
                        crash: { bootId in
                            try await database.client.query(
                                "UPDATE gateway_instance SET lease_until = now() - interval '1 second' WHERE id = \(bootId)"
                            )
                        }))
            }
        }
    }

    /// One instance on a new, empty database.
    func withStore(_ body: @Sendable (any GatewayStore) async throws -> Void) async throws {
        try await withDatabase { database in try await body(try await database.store()) }
    }
}
