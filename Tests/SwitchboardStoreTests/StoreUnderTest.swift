import Foundation
import SwitchboardStore
import Testing

/// A store implementation the conformance suites run against. Each behaviour is written once, as a test taking a
/// `StoreUnderTest`, and runs on every implementation in `all`. A test gets an empty database and opens instances
/// on it: a second instance with another boot id is a restart after a crash (or, on a shared server database,
/// another gateway).
struct StoreUnderTest: Sendable, CustomTestStringConvertible {
    /// Instances on one database.
    struct Database: Sendable {
        let open: @Sendable (_ bootId: String) throws -> any GatewayStore

        func store(bootId: String = "boot-1") throws -> any GatewayStore { try open(bootId) }
    }

    let name: String
    /// Runs `body` on a new, empty database and removes it afterwards.
    let withDatabase: @Sendable (_ body: @Sendable (Database) async throws -> Void) async throws -> Void

    var testDescription: String { name }

    static let all: [StoreUnderTest] = [.sqlite]

    static let sqlite = StoreUnderTest(name: "sqlite") { body in
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("switchboard-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/gateway.sqlite"
        try await body(Database { bootId in SQLiteMessageStore(database: try .open(path: path), bootId: bootId) })
    }

    /// One instance on a new, empty database.
    func withStore(_ body: @Sendable (any GatewayStore) async throws -> Void) async throws {
        try await withDatabase { database in try await body(try database.store()) }
    }
}
