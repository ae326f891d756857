import Foundation
import PostgresNIO
import SwitchboardCore
import SwitchboardStore
import Testing

/// Migrations against a real PostgreSQL: instances starting at once must not race.
@Suite(.enabled(if: TestPostgres.available, "needs SWITCHBOARD_TEST_POSTGRES_URL (scripts/test starts a cluster)"))
struct PostgresMigrationTests {
    static let versions = PostgresMigration.all.map(\.version)

    private func count(_ sql: String, on database: PostgresStoreDatabase) async throws -> Int {
        var total = 0
        for try await value in try await database.client.query(PostgresQuery(unsafeSQL: sql)).decode(Int.self) {
            total = value
        }
        return total
    }

    @Test func twoInstancesMigratingAtOnceApplyEachMigrationExactlyOnce() async throws {
        try await TestPostgres.withDatabase { target in
            let first = target.database()
            let second = target.database()
            try await TestPostgres.running(first.client) { () async throws in
                try await TestPostgres.running(second.client) { () async throws in
                    async let one = first.migrate()
                    async let two = second.migrate()
                    let applied = try await one + two
                    #expect(applied.sorted() == Self.versions.sorted(), "each version applied by exactly one instance")
                    #expect(try await count("SELECT count(*)::int FROM schema_migration", on: first) == Self.versions.count)
                    let tables = """
                        SELECT count(*)::int FROM information_schema.tables
                        WHERE table_schema = current_schema()
                          AND table_name IN ('message', 'attempt', 'status_event', 'idempotency_key')
                        """
                    #expect(try await count(tables, on: second) == 4)
                    #expect(try await second.migrate().isEmpty, "nothing left to apply")
                }
            }
        }
    }

    @Test func aFailingMigrationLeavesNothingHalfDoneAndReleasesTheLock() async throws {
        try await TestPostgres.withDatabase { target in
            let good = PostgresMigration(version: "t1", statements: ["CREATE TABLE kept (id INT)"])
            let bad = PostgresMigration(
                version: "t2", statements: ["CREATE TABLE half (id INT)", "SELECT * FROM no_such_table"])
            let fixed = PostgresMigration(version: "t2", statements: ["CREATE TABLE half (id INT)"])
            let first = target.database()
            try await TestPostgres.running(first.client) { () async throws in
                await #expect(throws: (any Error).self) { try await first.migrate([good, bad]) }
                let tables = """
                    SELECT count(*)::int FROM information_schema.tables
                    WHERE table_schema = current_schema() AND table_name = 'half'
                    """
                #expect(try await count(tables, on: first) == 0, "the failed step rolled back whole")
                #expect(try await count("SELECT count(*)::int FROM schema_migration", on: first) == 1)
            }
            // Another instance is not kept waiting by the failed one's lock.
            let second = target.database()
            try await TestPostgres.running(second.client) { () async throws in
                #expect(try await second.migrate([good, fixed]) == ["t2"])
            }
        }
    }
}

/// scripts/test always starts a cluster, so in CI the PostgreSQL tests run; they are never skipped there.
@Suite struct PostgresInCITests {
    @Test func continuousIntegrationHasATestDatabase() {
        guard ProcessInfo.processInfo.environment["CI"] == "true" else { return }
        #expect(TestPostgres.available, "CI=true but SWITCHBOARD_TEST_POSTGRES_URL is missing: run the tests with scripts/test")
    }
}
