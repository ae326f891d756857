import Foundation
import SwitchboardApp
import SwitchboardCore
import SwitchboardProviders
import Testing

/// gateway.json used to ignore unknown keys (`"sessionWindows": "enforce"` passed `check` and left enforcement off),
/// and `check` stopped at the first section with a problem.
@Suite struct StrictConfigTests {
    static let catalogs = try! CatalogLoader.load(directory: RepositoryConfigTests.repoRoot + "/providers")

    static func problems(_ json: String) -> [String] {
        do {
            _ = try GatewayConfiguration.parse(Data(json.utf8), file: "gateway.json", catalogs: catalogs, environment: [:])
            return []
        } catch {
            return error.problems.map { "\($0.path): \($0.message)" }
        }
    }

    static let base = """
        {"server": {"port": 8080}, "apiKeys": ["0123456789"],
         "accounts": [{"id": "k", "provider": "kaleyra", "pod": "in", "sid": "HX1", "apiKey": "x", "from": "+919000000001"}],
         "routes": [{"name": "all", "targets": ["k"]}]}
        """

    @Test func theBaseFileHasNoProblems() {
        #expect(Self.problems(Self.base).isEmpty)
    }

    @Test(arguments: [
        (#""policy": {"sessionWindows": "enforce"}"#, "$.policy.sessionWindows"),
        (#""polcy": {}"#, "$.polcy"),
        (#""server": {"port": 8080, "maxConnection": 10}"#, "$.server.maxConnection"),
        (#""storage": {"sqlite": ":memory:", "postgress": "x"}"#, "$.storage.postgress"),
        (#""webhooks": {"allowPrivate": true}"#, "$.webhooks.allowPrivate"),
        (#""routes": [{"name": "all", "targets": [{"account": "k", "wieght": 2}]}]"#, "$.routes[0].targets[0].wieght"),
        (#""routes": [{"name": "all", "match": {"country": ["91"]}, "targets": ["k"]}]"#, "$.routes[0].match.country"),
        (#""routes": [{"name": "all", "targets": ["k"], "policy": {"backoff": {"base": 1}}}]"#, "$.routes[0].policy.backoff.base"),
        (#""simulators": {"klaros": [{"id": "m", "port": 0, "apiKey": "a", "numbers": [], "templates": [], "windowsOpen": true, "x": 1}]}"#,
         "$.simulators.klaros[0].x"),
    ])
    func anUnknownKeyIsAProblemWithItsPath(member: String, path: String) {
        let key = String(member.prefix { $0 != ":" })
        var object = try! JSONSerialization.jsonObject(with: Data(Self.base.utf8)) as! [String: Any]
        let patch = try! JSONSerialization.jsonObject(with: Data("{\(member)}".utf8)) as! [String: Any]
        object[String(key.dropFirst().dropLast())] = patch.values.first
        let json = String(decoding: try! JSONSerialization.data(withJSONObject: object), as: UTF8.self)
        #expect(Self.problems(json).contains("\(path): unknown key"), "\(Self.problems(json))")
    }

    @Test func anAccountsUnknownKeyIsReported() {
        let json = Self.base.replacingOccurrences(of: #""from": "+919000000001"}"#, with: #""from": "+919000000001", "inbound_token": "t"}"#)
        #expect(Self.problems(json) == ["$.accounts[0].inbound_token: unknown key"])
    }

    @Test func everyProblemIsReportedAtOnceAcrossSections() {
        let json = """
            {"server": {"port": 70000, "hedaerTimeoutMs": 5}, "apiKeys": ["short"],
             "accounts": [{"id": "k", "provider": "kaleyra", "pod": "in", "sid": "HX1", "apiKey": "x", "from": "+919000000001"}],
             "routes": [{"name": "all", "targets": ["nobody"]}], "policy": {"sessionWindows": "enforce"}}
            """
        let problems = Self.problems(json)
        for expected in [
            "$.routes[0].targets[0]", "$.policy.sessionWindows", "$.server.hedaerTimeoutMs", "$.server.port", "$.apiKeys[0]",
        ] {
            #expect(problems.contains { $0.hasPrefix(expected + ":") }, "\(expected) in \(problems)")
        }
    }

    /// A third catalog used to pass `check` with no adapter behind it; every send to it then failed as
    /// `unauthorized`, which counted toward failover.
    @Test func anAccountOnACatalogWithoutAnAdapterIsAProblem() throws {
        var catalogs = Self.catalogs
        var orphan = try #require(catalogs["klaros"])
        orphan.name = "orphan"
        catalogs["orphan"] = orphan
        let json = Self.base.replacingOccurrences(of: #""routes""#, with: #""extra": 1, "routes""#)
            .replacingOccurrences(of: #"[{"id": "k""#, with: #"[{"id": "o", "provider": "orphan", "apiKey": "a", "from": "1", "baseURL": "http://127.0.0.1:9"}, {"id": "k""#)
        do {
            _ = try GatewayConfiguration.parse(Data(json.utf8), file: "gateway.json", catalogs: catalogs, environment: [:])
            Issue.record("accepted an account with no adapter")
        } catch {
            let problems = error.problems.map(\.path)
            #expect(problems.contains("$.accounts[0].provider"), "\(problems)")
            #expect(problems.contains("$.extra"), "reported with the other problems")
        }
        #expect(ProviderRegistry.adapters.keys.sorted() == Self.catalogs.keys.sorted(), "each built-in catalog has its adapter")
    }

    @Test(arguments: [
        (#""storage": {"postgres": "mysql://u:pw@db/x"}"#, "$.storage.postgres: must start with postgres://"),
        (#""storage": {"postgres": "postgres://u:s3cretpw@db:99999/x"}"#, "$.storage.postgres: has a port that is not a number from 1 to 65535"),
        (#""storage": {"sqlite": "a.sqlite", "postgres": "postgres://u@db/x"}"#, "$.storage.postgres: give either sqlite or postgres, not both"),
        (#""storage": {"postgres": "postgres://u@db/x", "leaseSeconds": 1}"#, "$.storage.leaseSeconds: must be 3 to 600 seconds"),
    ])
    func storageIsEitherSQLiteOrAPostgresURLAndAPasswordNeverAppears(member: String, problem: String) {
        let json = Self.base.replacingOccurrences(of: #"{"server": {"port": 8080},"#, with: "{\(member), \"server\": {\"port\": 8080},")
        let problems = Self.problems(json)
        #expect(problems.contains { $0.hasPrefix(problem) }, "\(problems)")
        #expect(!problems.joined().contains("s3cretpw"))
    }

    @Test func aPostgresURLFromTheEnvironmentIsDecodedWithItsLease() throws {
        let json = Self.base.replacingOccurrences(
            of: #"{"server": {"port": 8080},"#,
            with: #"{"storage": {"postgres": "${DB_URL}", "leaseSeconds": 30}, "server": {"port": 8080},"#)
        let configuration = try GatewayConfiguration.parse(
            Data(json.utf8), file: "gateway.json", catalogs: Self.catalogs, environment: ["DB_URL": "postgres://gw:pw@db.internal:6543/switchboard"])
        guard case .postgres(let url) = configuration.storage.backend else {
            Issue.record("expected PostgreSQL storage, got \(configuration.storage.backend)")
            return
        }
        #expect(url.host == "db.internal")
        #expect(url.port == 6543)
        #expect(configuration.storage.leaseSeconds == 30)
        #expect(!"\(url)".contains("pw@"), "its description hides the password")
    }
}
