import Foundation
import SwitchboardCore
import SwitchboardProviders
import SwitchboardSimulators
import Testing

@Suite struct KlarosProviderTests {
    let provider = KlarosProvider(catalog: TestSupport.klarosCatalog, client: TestSupport.client)

    private func json(_ text: String) throws -> NSDictionary {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? NSDictionary)
    }

    @Test func textSendIsOneJSONPostPerRecipientWithBearerKey() async throws {
        try await TestSupport.simulators().withRunning { host in
            let account = await TestSupport.klarosAccount(host)
            let results = await provider.send(SendRequest(recipients: TestSupport.numbers("+15551234567", "+15551234568"), body: .text("Thanks for reaching out!")), account: account, timeout: TestSupport.timeout)
            let logged = await host.requests.all().sorted { $0.body < $1.body }
            #expect(logged.count == 2)
            for request in logged {
                #expect(request.method == "POST")
                #expect(request.path == "/api/v1/messages")
                #expect(request.headers["authorization"] == "Bearer uni_live_test")
                #expect(request.headers["content-type"] == "application/json")
            }
            let first = try json(logged[0].body)
            #expect(first == ["to": "15551234567", "from": "123456789012345", "text": "Thanks for reaching out!"] as NSDictionary)
            for result in results {
                guard case .accepted(let id, let status) = result.outcome else { Issue.record("not accepted: \(result)"); continue }
                #expect(id.hasPrefix("wamid."))
                #expect(status == "sent")
            }
        }
    }

    @Test func templateSendNestsNameAndLanguage() async throws {
        try await TestSupport.simulators(klarosWindowsOpen: false).withRunning { host in
            let account = await TestSupport.klarosAccount(host, from: nil)
            let results = await provider.send(SendRequest(recipients: TestSupport.numbers("15551234567"), body: .template(.init(name: "order_update", language: "en_US"))), account: account, timeout: TestSupport.timeout)
            let body = try #require(await host.requests.all().first?.body)
            let sent = try json(body)
            #expect(sent == ["to": "15551234567", "template": ["name": "order_update", "language": "en_US"]] as NSDictionary)
            #expect(results.first?.failure == nil)
        }
    }

    @Test func textOutsideTheWindowNeedsATemplate() async throws {
        try await TestSupport.simulators(klarosWindowsOpen: false).withRunning { host in
            let account = await TestSupport.klarosAccount(host)
            let results = await provider.send(SendRequest(recipients: TestSupport.numbers("15551234567"), body: .text("hello")), account: account, timeout: TestSupport.timeout)
            let failure = try #require(results.first?.failure)
            #expect(failure.failureClass == .needsTemplate)
            #expect(failure.httpStatus == 409)
        }
    }

    @Test func unknownTemplateAndWrongKeyAndForeignLine() async throws {
        try await TestSupport.simulators().withRunning { host in
            let request = SendRequest(recipients: TestSupport.numbers("15551234567"), body: .template(.init(name: "nope", language: "en_US")))
            let missing = await provider.send(request, account: await TestSupport.klarosAccount(host), timeout: TestSupport.timeout)
            #expect(missing.first?.failure?.failureClass == .templateNotFound)
            #expect(missing.first?.failure?.providerCode == "132001")

            let text = SendRequest(recipients: TestSupport.numbers("15551234567"), body: .text("hi"))
            let badKey = await provider.send(text, account: await TestSupport.klarosAccount(host, apiKey: "uni_live_wrong"), timeout: TestSupport.timeout)
            #expect(badKey.first?.failure?.failureClass == .unauthorized)

            let foreign = await provider.send(text, account: await TestSupport.klarosAccount(host, from: "999"), timeout: TestSupport.timeout)
            #expect(foreign.first?.failure?.failureClass == .invalidSender)
            #expect(foreign.first?.failure?.providerCode == "131045")
        }
    }

    static let cloudCodes: [(code: String, expected: FailureClass, scope: ProviderFailure.Scope)] = [
        ("131047", .needsTemplate, .account),
        ("131026", .invalidRecipient, .account),
        ("130429", .rateLimited, .account),
        ("131056", .rateLimited, .recipient),
        ("132001", .templateNotFound, .account),
        ("190", .unauthorized, .account),
        ("131000", .unavailable, .account),
        ("100", .invalidContent, .account),
    ]

    @Test(arguments: cloudCodes)
    func cloudAPIErrorCodesMapThroughTheCatalog(code: String, expected: FailureClass, scope: ProviderFailure.Scope) async throws {
        try await TestSupport.simulators().withRunning { host in
            await host.faults.set(.error(code), for: "klaros.main")
            let results = await provider.send(SendRequest(recipients: TestSupport.numbers("15551234567"), body: .text("hi")), account: await TestSupport.klarosAccount(host), timeout: TestSupport.timeout)
            let failure = try #require(results.first?.failure)
            #expect(failure.failureClass == expected, "\(failure.message)")
            #expect(failure.providerCode == code)
            #expect(failure.scope == scope)
        }
    }

    @Test func statusFaultsAndTransportFaults() async throws {
        try await TestSupport.simulators().withRunning { host in
            let account = await TestSupport.klarosAccount(host)
            let request = SendRequest(recipients: TestSupport.numbers("15551234567"), body: .text("hi"))
            await host.faults.set(.unavailable, for: "klaros.main")
            #expect(await provider.send(request, account: account, timeout: TestSupport.timeout).first?.failure?.failureClass == .unavailable)

            await host.faults.set(.rateLimited(retryAfterSeconds: 3), for: "klaros.main")
            let limited = try #require(await provider.send(request, account: account, timeout: TestSupport.timeout).first?.failure)
            #expect(limited.failureClass == .rateLimited)
            #expect(limited.retryAfterMs == 3000)

            await host.faults.set(.refuse, for: "klaros.main")
            try await host.ports.waitUntil("klaros.main", listening: false)
            #expect(await provider.send(request, account: account, timeout: TestSupport.timeout).first?.failure?.failureClass == .unavailable)

            await host.faults.set(.hang(seconds: 30), for: "klaros.main")
            try await host.ports.waitUntil("klaros.main", listening: true)
            #expect(await provider.send(request, account: account, timeout: .milliseconds(1500)).first?.failure?.failureClass == .ambiguous)
        }
    }

    @Test func optionalOperationsListTemplatesNumbersAndAccount() async throws {
        try await TestSupport.simulators().withRunning { host in
            let account = await TestSupport.klarosAccount(host)
            #expect(try await provider.listTemplates(account: account).map(\.name) == ["order_update", "hello_world"])
            let numbers = try await provider.listNumbers(account: account)
            #expect(numbers.map(\.id) == ["123456789012345", "223456789012345"])
            #expect(numbers.map(\.isDefault) == [true, false])
            #expect(try await provider.accountInfo(account: account)["id"] == "main")
            await #expect(throws: ProviderOperationError.self) {
                try await provider.listTemplates(account: await TestSupport.klarosAccount(host, apiKey: "wrong"))
            }
        }
    }
}
