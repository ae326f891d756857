import Foundation
import SwitchboardCore
import Testing

@Suite struct GatewayConfigLoaderTests {
    static let catalogs: [String: ProviderCatalog] = {
        let limits = ProviderCatalog.Limits(maxBatch: 100, refMaxLength: 255, textMaxLength: 4096, messagesPerSecond: 80)
        return [
            "kaleyra": ProviderCatalog(
                name: "kaleyra", wireFormat: "form", auth: "api-key-header",
                pods: ["in": .init(region: "in", baseURL: "https://api.in.kaleyra.io"), "eu": .init(region: "eu", baseURL: "https://api.eu.kaleyra.io")],
                limits: limits, supportsTemplates: true, errors: [:], httpStatus: [:]),
            "klaros": ProviderCatalog(name: "klaros", wireFormat: "json", auth: "bearer", pods: [:], limits: limits, supportsTemplates: true, errors: [:], httpStatus: [:]),
        ]
    }()

    /// A provider's own keys as an adapter would declare them: the loader knows only what it is given.
    struct SIDSchema: AccountSettingsSchema {
        var keys: [String: AccountSettingKind] { ["sid": .string, "useGET": .bool] }
        func problems(in settings: AccountSettings, account: Account) -> [(path: String, message: String)] {
            (settings.string("sid") ?? "").isEmpty ? [(".sid", "is required")] : []
        }
    }

    private func load(_ json: String, env: [String: String] = ["KEY": "secret-value"]) -> Result<RouteTable, ConfigLoadError> {
        GatewayConfigLoader(file: "gateway.json", environment: env, catalogs: Self.catalogs, settingsSchemas: ["kaleyra": SIDSchema()])
            .load(Data(json.utf8))
    }

    @Test func providerKeysBecomeSettingsAndOtherProvidersKeysAreUnknown() throws {
        let json = #"{"accounts":[{"id":"a","provider":"kaleyra","pod":"in","sid":"HX1","useGET":true,"apiKey":"k"}],"routes":[{"name":"r","targets":["a"]}]}"#
        let account = try #require(try load(json).get().account("a"))
        #expect(account.settings.string("sid") == "HX1")
        #expect(account.settings.bool("useGET") == true)
        #expect(!account.settings.description.contains("HX1"))
        let foreign = #"{"accounts":[{"id":"a","provider":"klaros","baseURL":"http://x","apiKey":"k","sid":"HX1"}],"routes":[{"name":"r","targets":["a"]}]}"#
        guard case .failure(let error) = load(foreign) else { Issue.record("klaros took a sid"); return }
        #expect(error.problems.map(\.path) == ["$.accounts[0].sid"])
    }

    @Test func issueExampleLoadsWithEnvironmentReferences() throws {
        let json = """
        {"accounts": [
          {"id": "kaleyra-in", "provider": "kaleyra", "pod": "in", "sid": "HX1", "apiKey": "${KALEYRA_IN_KEY}", "from": "+919000000001"},
          {"id": "kaleyra-eu", "provider": "kaleyra", "pod": "eu", "sid": "HX2", "apiKey": "${KALEYRA_EU_KEY:-fallback}", "from": "+449000000001"},
          {"id": "klaros", "provider": "klaros", "baseURL": "https://your-deployment.example.com", "apiKey": "${KLAROS_API_KEY}", "from": "123456789012345", "region": "eu"}],
         "routes": [
          {"name": "india", "match": {"countryCodes": ["91"]}, "targets": ["kaleyra-in", "klaros"]},
          {"name": "europe", "match": {"countryCodes": ["44", "49", "33"]}, "targets": ["kaleyra-eu", "klaros"], "failover": "same-region"},
          {"name": "default", "strategy": "weighted", "targets": [{"account": "klaros", "weight": 80}, {"account": "kaleyra-eu", "weight": 20}]}],
         "policy": {"attemptTimeoutMs": 3000, "deadlineMs": 10000, "maxAttempts": 4, "retriesPerAccount": 1,
           "backoff": {"baseMs": 100, "maxMs": 1000}, "circuitBreaker": {"failureThreshold": 5, "cooldownMs": 30000},
           "retryBudget": {"percent": 20, "minConcurrent": 3}, "onAmbiguous": "hold"}}
        """
        let table = try load(json, env: ["KALEYRA_IN_KEY": "in-secret", "KLAROS_API_KEY": "uni_live_x"]).get()
        #expect(table.accounts.map(\.id) == ["kaleyra-in", "kaleyra-eu", "klaros"])
        #expect(table.account("kaleyra-in")?.apiKey.value == "in-secret")
        #expect(table.account("kaleyra-eu")?.apiKey.value == "fallback")
        #expect(table.account("kaleyra-in")?.baseURL == "https://api.in.kaleyra.io")
        #expect(table.account("kaleyra-eu")?.region == "eu")
        #expect(table.routes[2].strategy == .weighted)
        #expect(table.routes[2].targets.map(\.weight) == [80, 20])
        #expect(table.routes[1].failover == .sameRegion)
        #expect(table.policy.circuitBreaker.failureThreshold == 5)
    }

    @Test func routePolicyOverridesLayerOverTheGlobalPolicy() throws {
        let json = """
        {"accounts": [{"id": "a", "provider": "klaros", "baseURL": "http://x", "apiKey": "k"}],
         "routes": [{"name": "r", "targets": ["a"], "policy": {"maxAttempts": 1, "backoff": {"maxMs": 5000}}}],
         "policy": {"deadlineMs": 20000}}
        """
        let route = try load(json).get().routes[0]
        #expect(route.policy.maxAttempts == 1)
        #expect(route.policy.backoff.maxMs == 5000)
        #expect(route.policy.backoff.baseMs == 100)
        #expect(route.policy.deadlineMs == 20000)
    }

    static let broken: [(json: String, path: String, fragment: String)] = [
        (#"{"accounts":[{"id":"a","provider":"klaros","baseURL":"http://x","apiKey":"${NOPE}"}],"routes":[{"name":"r","targets":["a"]}]}"#, "$.accounts[0].apiKey", "NOPE is not set"),
        (#"{"accounts":[{"id":"a","provider":"sinch","baseURL":"http://x","apiKey":"k"}],"routes":[{"name":"r","targets":["a"]}]}"#, "$.accounts[0].provider", "unknown provider"),
        (#"{"accounts":[{"id":"a","provider":"kaleyra","pod":"mars","sid":"S","apiKey":"k"}],"routes":[{"name":"r","targets":["a"]}]}"#, "$.accounts[0].pod", "unknown kaleyra pod"),
        (#"{"accounts":[{"id":"a","provider":"klaros","baseURL":"http://x","apiKey":"k"},{"id":"a","provider":"klaros","baseURL":"http://y","apiKey":"k"}],"routes":[{"name":"r","targets":["a"]}]}"#, "$.accounts[1].id", "duplicate account id"),
        (#"{"accounts":[{"id":"a","provider":"klaros","baseURL":"http://x","apiKey":"k"}],"routes":[{"name":"r","targets":["b"]}]}"#, "$.routes[0].targets[0]", "unknown account \"b\""),
        (#"{"accounts":[{"id":"a","provider":"klaros","baseURL":"http://x","apiKey":"k"}],"routes":[{"name":"r","strategy":"weighted","targets":[{"account":"a","weight":0}]}]}"#, "$.routes[0].targets[0].weight", "must be positive"),
        (#"{"accounts":[{"id":"a","provider":"klaros","baseURL":"http://x","apiKey":"k"}],"routes":[{"name":"all","targets":["a"]},{"name":"india","match":{"countryCodes":["91"]},"targets":["a"]}]}"#, "$.routes[1]", "unreachable"),
        (#"{"accounts":[{"id":"a","provider":"kaleyra","pod":"in","apiKey":"k"}],"routes":[{"name":"r","targets":["a"]}]}"#, "$.accounts[0].sid", "is required"),
        (#"{"accounts":[{"id":"a","provider":"klaros","apiKey":"k"}],"routes":[{"name":"r","targets":["a"]}]}"#, "$.accounts[0]", "baseURL is required"),
        (#"{"accounts":[{"id":"a","provider":"klaros","baseURL":"http://x","apiKey":"k"}],"routes":[{"name":"r","match":{"countryCodes":["+91"]},"targets":["a"]}]}"#, "$.routes[0].match.countryCodes[0]", "not a calling code"),
        (#"{"accounts":[{"id":"a","provider":"klaros","baseURL":"http://x","apiKey":"k"}],"routes":[{"name":"r","targets":["a"]}],"policy":{"maxAttempts":0}}"#, "$.policy.maxAttempts", "at least 1"),
        (#"{"accounts":[{"id":"a","provider":"klaros","baseURL":"http://x","apiKey":"k"}],"routes":[{"name":"r","targets":["a"]}],"policy":{"onAmbiguous":"retry"}}"#, "$.policy.onAmbiguous", "retry"),
        (#"{"accounts":[{"id":"a","provider":"klaros","baseURL":"http://x","apiKey":"k"}],"routes":[{"name":"r","targets":"a"}]}"#, "$.routes[0].targets", "expected"),
        (#"{"accounts":[{"id":"a","provider":"klaros","baseURL":"http://x","apiKey":"k"}],"routes":[{"name":"r","targets":["a"],"failover":"same-region"}]}"#, "$.routes[0].targets[0]", "needs a region"),
        (#"{"accounts": [}"#, "$", "not valid JSON"),
        (#"{"accounts":[{"id":"a","provider":"kaleyra","pod":"in","sid":"S","useGET":"yes","apiKey":"k"}],"routes":[{"name":"r","targets":["a"]}]}"#, "$.accounts[0].useGET", "true or false"),
    ]

    @Test(arguments: broken)
    func everyProblemIsReportedWithItsJSONPath(json: String, path: String, fragment: String) throws {
        guard case .failure(let error) = load(json) else { Issue.record("loaded a broken config"); return }
        let match = error.problems.first { $0.path == path }
        #expect(match != nil, "paths: \(error.problems.map(\.path))")
        #expect(match?.message.contains(fragment) == true, "message: \(match?.message ?? "-")")
        #expect(match?.file == "gateway.json")
    }

    @Test func allProblemsAreListedNotJustTheFirst() {
        let json = #"{"accounts":[{"id":"a","provider":"klaros","baseURL":"http://x","apiKey":"k"},{"id":"a","provider":"nope","apiKey":"k"}],"routes":[{"name":"r","targets":["zz"]}]}"#
        guard case .failure(let error) = load(json) else { Issue.record("loaded"); return }
        #expect(Set(error.problems.map(\.path)) == ["$.accounts[1].id", "$.accounts[1].provider", "$.routes[0].targets[0]"])
    }

    @Test(arguments: [
        ("plain", [String: String](), "plain"), ("${A}", ["A": "1"], "1"), ("x${A}y${B}z", ["A": "1", "B": "2"], "x1y2z"),
        ("${A:-dflt}", [:], "dflt"), ("${A:-dflt}", ["A": ""], "dflt"), ("${A:-}", [:], ""),
    ])
    func environmentReferencesExpand(text: String, env: [String: String], expected: String) {
        #expect(EnvironmentInterpolation.expand(text, environment: env) == .success(expected))
    }

    @Test func secretsNeverAppearInProblemMessages() {
        let json = #"{"accounts":[{"id":"a","provider":"nope","apiKey":"${KEY}"}],"routes":[{"name":"r","targets":["a"]}]}"#
        guard case .failure(let error) = load(json) else { Issue.record("loaded"); return }
        #expect(!error.description.contains("secret-value"))
    }
}
