import Foundation
import SwitchboardCore
import SwitchboardProviders
import SwitchboardSimulators
import Testing

@Suite struct CloudAPIProviderTests {
    let provider = CloudAPIProvider(catalog: TestSupport.cloudCatalog, client: TestSupport.client)

    private func json(_ text: String) throws -> NSDictionary {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? NSDictionary)
    }

    @Test func textIsPostedToTheVersionedPhoneNumberPathWithBearer() async throws {
        try await TestSupport.cloudSimulator().withRunning { host in
            let account = await TestSupport.cloudAccount(host, settings: ["apiVersion": "v22.0"])
            let results = await provider.send(
                SendRequest(recipients: TestSupport.numbers("+15551234567"), body: .text("Hello")), account: account,
                timeout: TestSupport.timeout)
            let logged = try #require(await host.requests.all().first)
            #expect(logged.path == "/v22.0/\(TestSupport.cloudLine)/messages")
            #expect(logged.headers["authorization"] == "Bearer EAAG-test")
            #expect(try json(logged.body) == [
                "messaging_product": "whatsapp", "recipient_type": "individual", "to": "15551234567", "type": "text",
                "text": ["preview_url": false, "body": "Hello"],
            ] as NSDictionary)
            guard case .accepted(let id, _) = results.first?.outcome else { Issue.record("not accepted"); return }
            #expect(id.hasPrefix("wamid."))
        }
    }

    @Test func aTemplateCarriesItsLanguageAndBodyParameters() async throws {
        try await TestSupport.cloudSimulator(windowsOpen: false).withRunning { host in
            let account = await TestSupport.cloudAccount(host)
            let template = MessageBody.template(.init(name: "order_update", language: "en_US", params: ["Ana", "42"]))
            let results = await provider.send(
                SendRequest(recipients: TestSupport.numbers("+15551234567"), body: template), account: account,
                timeout: TestSupport.timeout)
            #expect(results.first?.failure == nil)
            let body = try json(try #require(await host.requests.all().first?.body))
            #expect(body["type"] as? String == "template")
            #expect(body["template"] as? NSDictionary == [
                "name": "order_update", "language": ["code": "en_US"],
                "components": [["type": "body", "parameters": [
                    ["type": "text", "text": "Ana"], ["type": "text", "text": "42"],
                ]]],
            ] as NSDictionary)
        }
    }

    @Test(arguments: [
        ("131026", FailureClass.invalidRecipient), ("131047", .needsTemplate), ("190", .unauthorized),
        ("131000", .unavailable), ("132001", .templateNotFound),
    ])
    func errorCodesAreClassifiedFromTheCatalog(code: String, expected: FailureClass) async throws {
        try await TestSupport.cloudSimulator().withRunning { host in
            await host.faults.set(.error(code), for: "cloud-api.main")
            let account = await TestSupport.cloudAccount(host)
            let results = await provider.send(
                SendRequest(recipients: TestSupport.numbers("+15551234567"), body: .text("hi")), account: account,
                timeout: TestSupport.timeout)
            #expect(results.first?.failure?.failureClass == expected)
            #expect(results.first?.failure?.providerCode == code)
        }
    }

    @Test func aBadTokenAndARateLimitAreTheAPIsOwnAnswers() async throws {
        try await TestSupport.cloudSimulator().withRunning { host in
            let wrong = await TestSupport.cloudAccount(host, token: "expired")
            let refused = await provider.send(
                SendRequest(recipients: TestSupport.numbers("+15551234567"), body: .text("hi")), account: wrong,
                timeout: TestSupport.timeout)
            #expect(refused.first?.failure?.failureClass == .unauthorized)
            #expect(refused.first?.failure?.providerCode == "190")
            await host.faults.set(.rateLimited(retryAfterSeconds: 3), for: "cloud-api.main")
            let limited = await provider.send(
                SendRequest(recipients: TestSupport.numbers("+15551234567"), body: .text("hi")),
                account: await TestSupport.cloudAccount(host), timeout: TestSupport.timeout)
            #expect(limited.first?.failure?.failureClass == .rateLimited)
            #expect(limited.first?.failure?.retryAfterMs == 3000)
        }
    }

    @Test func accountSettingsAreCheckedWithPathsAndTheVersionComesFromTheCatalog() throws {
        func load(_ account: String, catalog: ProviderCatalog = TestSupport.cloudCatalog) -> Result<RouteTable, ConfigLoadError> {
            let json = #"{"accounts":[\#(account)],"routes":[{"name":"r","targets":["c"]}]}"#
            return GatewayConfigLoader(
                file: "g.json", environment: [:], catalogs: ["cloud-api": catalog],
                settingsSchemas: ProviderRegistry.settingsSchemas).load(Data(json.utf8))
        }
        let plain = #"{"id":"c","provider":"cloud-api","apiKey":"t","from":"109000000000001"}"#
        let account = try #require(try load(plain).get().account("c"))
        #expect(account.settings.string("apiVersion") == "v21.0")
        #expect(account.baseURL == "https://graph.facebook.com")
        var bare = TestSupport.cloudCatalog
        bare.accountDefaults = nil
        guard case .failure(let missing) = load(plain, catalog: bare) else { Issue.record("loaded"); return }
        #expect(missing.problems.map(\.path) == ["$.accounts[0].apiVersion"])
        let wrong = #"{"id":"c","provider":"cloud-api","apiKey":"t","from":"+1555","apiVersion":"21"}"#
        guard case .failure(let both) = load(wrong) else { Issue.record("loaded"); return }
        #expect(Set(both.problems.map(\.path)) == ["$.accounts[0].from", "$.accounts[0].apiVersion"])
    }
}
