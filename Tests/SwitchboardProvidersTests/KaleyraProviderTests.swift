import Foundation
import SwitchboardCore
import SwitchboardProviders
import SwitchboardSimulators
import Testing

@Suite struct KaleyraProviderTests {
    let provider = KaleyraProvider(catalog: TestSupport.kaleyraCatalog, client: TestSupport.client)

    @Test func batchesRecipientsIntoOneFormPostAndMapsIdsBack() async throws {
        try await TestSupport.simulators().withRunning { host in
            let account = await TestSupport.kaleyraAccount(host)
            let request = SendRequest(
                recipients: TestSupport.numbers("+919812345678", "919812345679"), body: .text("Hi, your order has shipped & is on its way"),
                ref: "order-42", ref1: "acme", ref2: "ops", callbackURL: "http://127.0.0.1:9/inbound/kaleyra/kaleyra-in/status")
            let results = await provider.send(request, account: account, timeout: TestSupport.timeout)

            let logged = await host.requests.all()
            #expect(logged.count == 1)
            let wire = try #require(logged.first)
            #expect(wire.method == "POST")
            #expect(wire.path == "/v1/HXIN001/messages")
            #expect(wire.headers["api-key"] == "kal-in-key")
            #expect(wire.headers["content-type"] == "application/x-www-form-urlencoded")
            #expect(wire.formFields == [
                "channel": "whatsapp", "from": "+919000000001", "to": "+919812345678,+919812345679", "type": "text",
                "body": "Hi, your order has shipped & is on its way", "callback_url": "http://127.0.0.1:9/inbound/kaleyra/kaleyra-in/status",
                "ref": "order-42", "ref1": "acme", "ref2": "ops",
            ])
            #expect(results.map(\.recipient.digits) == ["919812345678", "919812345679"])
            let ids = results.compactMap { result -> String? in
                if case .accepted(let id, _) = result.outcome { return id }
                return nil
            }
            #expect(ids.count == 2)
            #expect(ids[0].hasSuffix(":0") && ids[1].hasSuffix(":1"))
            #expect(ids[0].dropLast(2) == ids[1].dropLast(2))
        }
    }

    @Test func templateSendCarriesNameLanguageAndCommaJoinedParams() async throws {
        try await TestSupport.simulators().withRunning { host in
            let account = await TestSupport.kaleyraAccount(host)
            let request = SendRequest(recipients: TestSupport.numbers("+919812345678"), body: .template(.init(name: "british_council", language: "en", params: ["Raman", "42"])))
            let results = await provider.send(request, account: account, timeout: TestSupport.timeout)
            let fields = try #require(await host.requests.all().first).formFields
            #expect(fields["type"] == "template")
            #expect(fields["template_name"] == "british_council")
            #expect(fields["lang_code"] == "en")
            #expect(fields["params"] == "Raman,42")
            #expect(fields["body"] == nil)
            #expect(results.first?.failure == nil)
        }
    }

    @Test func getFormSendsTheSameFieldsAsQueryParameters() async throws {
        try await TestSupport.simulators().withRunning { host in
            let account = await TestSupport.kaleyraAccount(host, useGET: true)
            let results = await provider.send(SendRequest(recipients: TestSupport.numbers("+919812345678"), body: .text("hello there")), account: account, timeout: TestSupport.timeout)
            let wire = try #require(await host.requests.all().first)
            #expect(wire.method == "GET")
            #expect(wire.body.isEmpty)
            #expect(FormFields.parse(wire.query) == ["channel": "whatsapp", "from": "+919000000001", "to": "+919812345678", "type": "text", "body": "hello there"])
            #expect(results.first?.failure == nil)
        }
    }

    @Test func eachPodIsReachedAtItsOwnBaseURL() async throws {
        try await TestSupport.simulators().withRunning { host in
            let eu = Account(
                id: "kaleyra-eu", provider: "kaleyra", pod: "eu", apiKey: Secret("kal-eu-key"),
                from: "+449000000001", baseURL: await host.baseURL(KaleyraSimulator.endpoint(pod: "eu"))!,
                settings: AccountSettings(["sid": "HXEU001"]))
            let results = await provider.send(SendRequest(recipients: TestSupport.numbers("+447700900123"), body: .text("hi")), account: eu, timeout: TestSupport.timeout)
            #expect(results.first?.failure == nil)
            #expect(await host.requests.count(endpoint: "kaleyra.eu") == 1)
            #expect(await host.requests.count(endpoint: "kaleyra.in") == 0)
        }
    }

    @Test func catalogPodDomainsAndTheBaseURLOverride() throws {
        let catalog = TestSupport.kaleyraCatalog
        #expect(catalog.baseURL(pod: "in", override: nil) == "https://api.in.kaleyra.io")
        #expect(catalog.baseURL(pod: "sg", override: nil) == "https://api.kaleyra.io")
        #expect(catalog.baseURL(pod: "eu", override: nil) == "https://api.eu.kaleyra.io")
        #expect(catalog.baseURL(pod: "na", override: nil) == "https://api.na.kaleyra.ai")
        #expect(catalog.baseURL(pod: "in", override: "http://127.0.0.1:9000") == "http://127.0.0.1:9000")
        #expect(catalog.baseURL(pod: "mars", override: nil) == nil)
    }

    static let wireErrors: [(fault: Fault, expected: FailureClass, code: String?)] = [
        (.error("E13009"), .invalidRecipient, "E13009"),
        (.error("E13008"), .invalidSender, "E13008"),
        (.error("E413"), .unsupportedContent, "E413"),
        (.error("RBC001"), .unauthorized, "RBC001"),
        (.unavailable, .unavailable, nil),
        (.rateLimited(retryAfterSeconds: 7), .rateLimited, "E429"),
    ]

    @Test(arguments: wireErrors)
    func providerErrorsAreClassified(fault: Fault, expected: FailureClass, code: String?) async throws {
        try await TestSupport.simulators().withRunning { host in
            await host.faults.set(fault, for: "kaleyra.in")
            let account = await TestSupport.kaleyraAccount(host)
            let results = await provider.send(SendRequest(recipients: TestSupport.numbers("+919812345678", "+919812345679"), body: .text("hi")), account: account, timeout: TestSupport.timeout)
            #expect(results.count == 2)
            for result in results {
                let failure = try #require(result.failure)
                #expect(failure.failureClass == expected)
                #expect(failure.providerCode == code)
                if expected == .rateLimited { #expect(failure.retryAfterMs == 7000) }
            }
        }
    }

    @Test func wrongKeyAndForeignSenderAreRejectedBySimulatorAndMapped() async throws {
        try await TestSupport.simulators().withRunning { host in
            let badKey = await TestSupport.kaleyraAccount(host, apiKey: "wrong")
            let unauthorized = await provider.send(SendRequest(recipients: TestSupport.numbers("+919812345678"), body: .text("hi")), account: badKey, timeout: TestSupport.timeout)
            #expect(unauthorized.first?.failure?.failureClass == .unauthorized)
            #expect(unauthorized.first?.failure?.httpStatus == 401)

            let foreignLine = await TestSupport.kaleyraAccount(host, from: "+919999999999")
            let invalidSender = await provider.send(SendRequest(recipients: TestSupport.numbers("+919812345678"), body: .text("hi")), account: foreignLine, timeout: TestSupport.timeout)
            #expect(invalidSender.first?.failure?.failureClass == .invalidSender)
            #expect(invalidSender.first?.failure?.providerCode == "E13008")
        }
    }

    @Test(arguments: [KaleyraSimulator.ErrorStyle.code, .keyed, .both])
    func everyErrorBodyStyleMapsTheSame(style: KaleyraSimulator.ErrorStyle) async throws {
        try await TestSupport.simulators(errorStyle: style).withRunning { host in
            let foreignLine = await TestSupport.kaleyraAccount(host, from: "+919999999999")
            let results = await provider.send(SendRequest(recipients: TestSupport.numbers("+919812345678"), body: .text("hi")), account: foreignLine, timeout: TestSupport.timeout)
            let failure = try #require(results.first?.failure)
            #expect(failure.failureClass == .invalidSender, "\(failure.message)")
            #expect(failure.providerCode == "E13008")
        }
    }

    /// What Kaleyra cannot carry but another provider can (HTML outside the body, a comma in a param) fails over as
    /// `unsupported_content`; what no provider would take is `invalid_content`.
    static let locallyRefused: [(body: MessageBody, ref: String?, code: String, failureClass: FailureClass)] = [
        (.template(.init(name: "promo", language: "en", params: ["<b>Raman</b>"])), nil, "E413", .unsupportedContent),
        (.template(.init(name: "<i>promo</i>", language: "en")), nil, "E413", .unsupportedContent),
        (.text("hello"), "<script>x</script>", "E413", .unsupportedContent),
        (.text("hello"), String(repeating: "r", count: 256), "E13001", .invalidContent),
        (.template(.init(name: "promo", language: "en", params: ["a,b"])), nil, "E13001", .unsupportedContent),
        (.text(String(repeating: "x", count: 4097)), nil, "E13001", .invalidContent),
    ]

    @Test(arguments: locallyRefused)
    func contentTheProviderWouldRejectNeverLeavesTheGateway(
        body: MessageBody, ref: String?, code: String, failureClass: FailureClass
    ) async throws {
        try await TestSupport.simulators().withRunning { host in
            let account = await TestSupport.kaleyraAccount(host)
            let results = await provider.send(SendRequest(recipients: TestSupport.numbers("+919812345678"), body: body, ref: ref), account: account, timeout: TestSupport.timeout)
            #expect(results.first?.failure?.failureClass == failureClass)
            #expect(results.first?.failure?.providerCode == code)
            #expect(await host.requests.all().isEmpty)
        }
    }

    @Test func htmlInTheBodyIsAllowed() async throws {
        try await TestSupport.simulators().withRunning { host in
            let account = await TestSupport.kaleyraAccount(host)
            let results = await provider.send(SendRequest(recipients: TestSupport.numbers("+919812345678"), body: .text("Use <b>bold</b> freely")), account: account, timeout: TestSupport.timeout)
            #expect(results.first?.failure == nil)
        }
    }

    @Test func refusedConnectionIsUnavailableAndAHangIsAmbiguous() async throws {
        try await TestSupport.simulators().withRunning { host in
            let account = await TestSupport.kaleyraAccount(host)
            let request = SendRequest(recipients: TestSupport.numbers("+919812345678"), body: .text("hi"))

            await host.faults.set(.refuse, for: "kaleyra.in")
            try await host.ports.waitUntil("kaleyra.in", listening: false)
            let refused = await provider.send(request, account: account, timeout: TestSupport.timeout)
            #expect(refused.first?.failure?.failureClass == .unavailable)

            await host.faults.set(.hang(seconds: 30), for: "kaleyra.in")
            try await host.ports.waitUntil("kaleyra.in", listening: true)
            let started = ContinuousClock.now
            // Long enough to connect and send when every suite runs at once on 2 cores; the hang is 30 s.
            let hung = await provider.send(request, account: account, timeout: .milliseconds(1500))
            #expect(hung.first?.failure?.failureClass == .ambiguous)
            #expect(ContinuousClock.now - started < .seconds(5))
            #expect(await host.requests.count(endpoint: "kaleyra.in") == 1)
        }
    }

    @Test func theCallbackURLCarriesTheAccountsTokenEscaped() {
        let withToken = Account(
            id: "kaleyra-in", provider: "kaleyra", apiKey: Secret("k"), baseURL: "https://api.in.kaleyra.io",
            settings: AccountSettings(["inboundToken": "a b&c"]))
        let without = Account(id: "kaleyra-in", provider: "kaleyra", apiKey: Secret("k"), baseURL: "https://api.in.kaleyra.io")
        #expect(provider.callbackURL(publicURL: "https://gw.example.com", account: withToken)
            == "https://gw.example.com/inbound/kaleyra/kaleyra-in/status?token=a%20b%26c")
        #expect(provider.callbackURL(publicURL: "https://gw.example.com", account: without)
            == "https://gw.example.com/inbound/kaleyra/kaleyra-in/status")
        let klaros = KlarosProvider(catalog: TestSupport.klarosCatalog, client: TestSupport.client)
        #expect(klaros.callbackURL(publicURL: "https://gw.example.com", account: without) == nil, "Klaros is configured with its own")
    }
}
