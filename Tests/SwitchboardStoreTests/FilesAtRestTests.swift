import Foundation
import GRDB
import SwitchboardCore
import Testing

@testable import SwitchboardStore

/// The database holds webhook signing secrets and message content: it used to be created 0644, and a deleted
/// webhook's secret stayed in its row.
@Suite struct FilesAtRestTests {
    static func mode(_ path: String) throws -> Int {
        try #require(FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
    }

    @Test func aNewDatabaseAndItsFolderAreOwnerOnly() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent(
            "switchboard-perm-\(UUID().uuidString)"
        ).path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let path = root + "/data/gateway.sqlite"
        let store = SQLiteMessageStore(database: try .open(path: path))
        _ = try await store.createWebhook(url: "https://app.example.com/h", events: [], secret: "whsec_x", at: Date())
        #expect(try Self.mode(root + "/data") == 0o700)
        for file in [path, path + "-wal", path + "-shm"] where FileManager.default.fileExists(atPath: file) {
            #expect(try Self.mode(file) == 0o600, "\(file)")
        }
        #expect(FileManager.default.fileExists(atPath: path + "-wal"))
    }

    @Test func anExistingWorldReadableDatabaseIsMadeOwnerOnly() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent(
            "switchboard-perm-\(UUID().uuidString)"
        ).path
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        let path = root + "/gateway.sqlite"
        _ = try AppDatabase.open(path: path)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        _ = try AppDatabase.open(path: path)
        #expect(try Self.mode(path) == 0o600)
    }

    @Test func deletingAWebhookErasesItsSecret() async throws {
        let database = try AppDatabase.inMemory()
        let store = SQLiteMessageStore(database: database)
        let hook = try await store.createWebhook(
            url: "https://app.example.com/h", events: [], secret: "whsec_c2VjcmV0", at: Date())
        #expect(try await store.deleteWebhook(id: hook.id))
        let secret = try await database.writer.read { db in
            try String.fetchOne(db, sql: "SELECT secret FROM webhook WHERE id = ?", arguments: [hook.id])
        }
        #expect(secret == "")
    }
}
