import Foundation
import NIOCore
import NIOPosix
import Testing

/// `switchboard serve` as a process: what it says and how it exits when it cannot start.
@Suite struct StartupTests {
    /// Runs the CLI to its exit (or kills it after `limit`); returns its exit status and everything it printed.
    static func serve(config: String, directory: String, limit: Duration = .seconds(20)) async throws -> (
        status: Int32, output: String
    ) {
        let log = directory + "/serve.log"
        let process = try CrashRecoveryTests.start(config: config, log: log, logLevel: "info")
        let deadline = ContinuousClock.now + limit
        while process.isRunning, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        return (process.terminationStatus, (try? String(contentsOfFile: log, encoding: .utf8)) ?? "")
    }

    /// A new folder for one run of the CLI (which must be built); the caller removes it.
    static func scratchDirectory(_ name: String) throws -> String {
        try #require(
            FileManager.default.isExecutableFile(atPath: CrashRecoveryTests.binary),
            "build the CLI first (scripts/test does)")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "switchboard-\(name)-\(UUID().uuidString)"
        ).path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        return directory
    }

    @Test func aPortInUseNamesTheAddressAndServerPortAndExits1WithoutClaimingToListen() async throws {
        let directory = try Self.scratchDirectory("start")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let holder = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(
            host: "127.0.0.1", port: 0
        ).get()
        let port = try #require(holder.localAddress?.port)
        try """
        {"server": {"host": "127.0.0.1", "port": \(port)}, "storage": {"sqlite": "\(directory)/gateway.sqlite"}, "apiKeys": ["\(GatewayHarness.apiKey)"],
         "accounts": [{"id": "kaleyra-in", "provider": "kaleyra", "pod": "in", "sid": "HXIN001", "apiKey": "k", "from": "+919000000001",
                       "baseURL": "http://127.0.0.1:9"}],
         "routes": [{"name": "all", "targets": ["kaleyra-in"]}]}
        """.write(toFile: directory + "/gateway.json", atomically: true, encoding: .utf8)

        let result = try await Self.serve(config: directory + "/gateway.json", directory: directory)
        try await holder.close()
        #expect(result.status == 1)
        #expect(result.output.contains("cannot listen on 127.0.0.1:\(port)"), "\(result.output)")
        #expect(result.output.contains("server.port"))
        #expect(!result.output.contains("listening"), "\(result.output)")
        #expect(!result.output.contains("errno"), "no raw NIO error")
    }

    @Test func anUnreachableDatabaseNamesItsHostAndPortAndExits1WithoutThePassword() async throws {
        let directory = try Self.scratchDirectory("start")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // Port 9 (discard) has no PostgreSQL on loopback: the connection is refused.
        try """
        {"server": {"host": "127.0.0.1", "port": 0}, "apiKeys": ["\(GatewayHarness.apiKey)"],
         "storage": {"postgres": "postgres://gateway:hunter2secret@127.0.0.1:9/switchboard"},
         "accounts": [{"id": "kaleyra-in", "provider": "kaleyra", "pod": "in", "sid": "HXIN001", "apiKey": "k", "from": "+919000000001",
                       "baseURL": "http://127.0.0.1:9"}],
         "routes": [{"name": "all", "targets": ["kaleyra-in"]}]}
        """.write(toFile: directory + "/gateway.json", atomically: true, encoding: .utf8)

        let result = try await Self.serve(config: directory + "/gateway.json", directory: directory)
        #expect(result.status == 1)
        #expect(result.output.contains("cannot connect to PostgreSQL at 127.0.0.1:9"), "\(result.output)")
        #expect(result.output.contains("$.storage.postgres"))
        #expect(!result.output.contains("hunter2secret"), "the password is never printed")
        #expect(!result.output.contains("listening"), "\(result.output)")
    }

    @Test func checkListsATypoAndABadRouteWithPathsAndExits1() throws {
        let directory = try Self.scratchDirectory("check")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try """
        {"accounts": [{"id": "k", "provider": "kaleyra", "pod": "in", "sid": "HX1", "apiKey": "x", "from": "+919000000001"}],
         "routes": [{"name": "all", "targets": ["nobody"]}], "policy": {"sessionWindows": "enforce"}}
        """.write(toFile: directory + "/gateway.json", atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CrashRecoveryTests.binary)
        process.arguments = ["check", "--config", directory + "/gateway.json", "--providers", GatewayHarness.repoRoot + "/providers"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        process.waitUntilExit()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus == 1)
        #expect(text.contains("$.policy.sessionWindows"), "\(text)")
        #expect(text.contains("$.routes[0].targets[0]"), "\(text)")
    }

    @Test func serveRunsFromAFolderWithoutProvidersOnTheBuiltInCatalogs() async throws {
        let directory = try Self.scratchDirectory("any")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let probe = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(host: "127.0.0.1", port: 0).get()
        let port = try #require(probe.localAddress?.port)
        try await probe.close()
        try """
        {"server": {"host": "127.0.0.1", "port": \(port)}, "storage": {"sqlite": "\(directory)/gateway.sqlite"}, "apiKeys": ["\(GatewayHarness.apiKey)"],
         "accounts": [{"id": "kaleyra-in", "provider": "kaleyra", "pod": "in", "sid": "HXIN001", "apiKey": "k", "from": "+919000000001",
                       "baseURL": "http://127.0.0.1:9"}],
         "routes": [{"name": "all", "targets": ["kaleyra-in"]}]}
        """.write(toFile: directory + "/gateway.json", atomically: true, encoding: .utf8)
        #expect(!FileManager.default.fileExists(atPath: directory + "/providers"))
        let process = try CrashRecoveryTests.start(
            config: directory + "/gateway.json", log: directory + "/serve.log", withRepositoryCatalogs: false)
        defer { if process.isRunning { process.terminate() }; process.waitUntilExit() }
        let gateway = LiveGateway(baseURL: "http://127.0.0.1:\(port)")
        try await CrashRecoveryTests.waitUntilHealthy(gateway)
        let accounts = try await gateway.request("GET", "/v1/accounts")
        #expect(accounts.status == 200)
        #expect("\(accounts.json)".contains("kaleyra-in"), "\(accounts.json)")
    }
}
