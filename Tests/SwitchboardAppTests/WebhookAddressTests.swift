import AsyncHTTPClient
import Foundation
import Logging
@testable import SwitchboardApp
import SwitchboardCore
import SwitchboardStore
import Testing

@Suite struct WebhookAddressTests {
    static let numeric: [(host: String, reads: String?)] = [
        ("127.0.0.1", "127.0.0.1"), ("127.1", "127.0.0.1"), ("2130706433", "127.0.0.1"), ("0x7f000001", "127.0.0.1"),
        ("0177.0.0.1", "127.0.0.1"), ("10.258", "10.0.1.2"), ("[::1]", "::1"), ("0:0:0:0:0:0:0:1", "::1"),
        ("::ffff:10.0.0.1", "::ffff:10.0.0.1"), ("example.com", nil), ("1.2.3.4.example", nil), ("1.2.3.4.5", nil), ("", nil),
    ]

    @Test(arguments: numeric)
    func numericHostsAreReadAsTheResolverReadsThem(host: String, reads: String?) {
        #expect(NetworkAddress(numericHost: host)?.description == reads)
    }

    static let ranges: [(address: String, isPrivate: Bool)] = [
        ("127.0.0.1", true), ("10.1.2.3", true), ("172.16.0.1", true), ("172.31.255.255", true), ("172.32.0.1", false),
        ("192.168.1.1", true), ("169.254.169.254", true), ("100.64.0.1", true), ("100.128.0.1", false), ("0.0.0.0", true),
        ("192.0.0.8", true), ("198.18.0.1", true), ("224.0.0.1", true), ("255.255.255.255", true), ("8.8.8.8", false),
        ("93.184.216.34", false), ("::1", true), ("::", true), ("fc00::1", true), ("fd12:3456::1", true), ("fe80::1", true),
        ("fec0::1", true), ("ff02::1", true), ("::ffff:127.0.0.1", true), ("::ffff:8.8.8.8", false), ("::10.0.0.1", true),
        ("64:ff9b::a00:1", true), ("64:ff9b::808:808", false), ("2001:4860:4860::8888", false),
    ]

    @Test(arguments: ranges)
    func privateRangesAreRecognised(address: String, isPrivate: Bool) throws {
        let parsed = try #require(NetworkAddress(numericHost: address))
        #expect(parsed.isPrivate == isPrivate)
    }

    @Test func theSystemResolverFindsLocalhostOnLoopback() throws {
        let addresses = try HostResolver.lookup("localhost")
        #expect(!addresses.isEmpty)
        #expect(addresses.allSatisfy { $0.isPrivate })
        #expect(throws: HostResolver.Failure.self) { try HostResolver.lookup("no-such-host.invalid") }
    }

    @Test func theGuardChecksWhereANameResolves() async {
        let table: [String: [NetworkAddress]] = [
            "hooks.example.com": [NetworkAddress(numericHost: "93.184.216.34")!],
            "sneaky.example.com": [NetworkAddress(numericHost: "93.184.216.34")!, NetworkAddress(numericHost: "10.0.0.7")!],
            "metadata.example.com": [NetworkAddress(numericHost: "fd00::7")!],
        ]
        let strict = WebhookAddressGuard(allowPrivateNetworks: false) { host in
            guard let addresses = table[host] else { throw HostResolver.Failure(host: host, reason: "not found") }
            return addresses
        }
        #expect(await strict.problem(with: "https://hooks.example.com/switchboard") == nil)
        #expect(await strict.problem(with: "https://sneaky.example.com/x")?.contains("resolves to a private address (10.0.0.7)") == true)
        #expect(await strict.problem(with: "https://metadata.example.com/x")?.contains("(fd00::7)") == true)
        #expect(await strict.problem(with: "https://gone.example.com/x") == "could not resolve gone.example.com")
        #expect(await strict.problem(with: "http://2130706433/hook")?.contains("private or loopback") == true)
        #expect(await strict.problem(with: "http://93.184.216.34/hook") == nil, "a public address needs no lookup")

        let open = WebhookAddressGuard(allowPrivateNetworks: true) { host in throw HostResolver.Failure(host: host, reason: "must not be asked") }
        #expect(await open.problem(with: "https://sneaky.example.com/x") == nil)

        // A name is sent to only where it resolved when checked; numbers and the open policy need no pin.
        let hooks = WebhookAddressGuard.Pin(host: "Hooks.example.com", addresses: table["hooks.example.com"]!)
        #expect(await strict.check("https://Hooks.example.com/switchboard") == .send(pin: hooks))
        #expect(await strict.check("http://93.184.216.34/hook") == .send(pin: nil))
        #expect(await open.check("https://sneaky.example.com/x") == .send(pin: nil))
    }

    /// Round-robin answers reorder the same addresses: the host keeps its client (and its connections) while the
    /// pinned address is still among them.
    @Test func aHostKeepsItsClientWhileItsAddressStillResolves() async throws {
        let pinned = PinnedClients(configuration: .init())
        let a = NetworkAddress(numericHost: "93.184.216.34")!, b = NetworkAddress(numericHost: "93.184.216.35")!, c = NetworkAddress(numericHost: "93.184.216.36")!
        let first = await pinned.client(for: .init(host: "hooks.example.com", addresses: [a, b]))
        let reordered = await pinned.client(for: .init(host: "hooks.example.com", addresses: [b, a]))
        let moved = await pinned.client(for: .init(host: "hooks.example.com", addresses: [c]))
        let other = await pinned.client(for: .init(host: "other.example.com", addresses: [a]))
        #expect(first === reordered)
        #expect(first !== moved)
        #expect(other !== first && other !== moved)
        await pinned.shutdown()
    }

    /// A host no delivery has used for a while loses its client (shut down once retired), so hosts no webhook names
    /// any more do not each keep one; the next delivery there gets a fresh one.
    @Test func anIdleHostsClientIsShutDownAndReplacedOnNextUse() async throws {
        let pinned = PinnedClients(configuration: .init(), retireAfter: .zero, idleAfter: .milliseconds(200))
        let a = NetworkAddress(numericHost: "93.184.216.34")!
        let hooks = WebhookAddressGuard.Pin(host: "hooks.example.com", addresses: [a])
        let other = WebhookAddressGuard.Pin(host: "other.example.com", addresses: [a])
        let first = await pinned.client(for: hooks)
        #expect(await pinned.client(for: hooks) === first, "used again before it went idle: kept")
        try await Task.sleep(for: .milliseconds(300))
        _ = await pinned.client(for: other)
        #expect(await pinned.hostCount == 1, "only the host just used keeps a client")
        await #expect(throws: HTTPClientError.alreadyShutdown) { try await first.shutdown() }
        let again = await pinned.client(for: hooks)
        #expect(again !== first)
        await pinned.shutdown()
    }

    /// The delivery connects to the address the guard checked, not to a second lookup of the name: a name no DNS
    /// knows (`.invalid`) is delivered to loopback through the pin, and re-pointed, the next delivery follows the new
    /// check (here to an address nothing listens on).
    @Test func deliveriesToANameGoToTheAddressTheGuardChecked() async throws {
        let store = SQLiteMessageStore(database: try .inMemory())
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        var configuration = HTTPClient.Configuration()
        configuration.timeout.connect = .milliseconds(500)
        configuration.redirectConfiguration = .disallow
        let pinned = PinnedClients(configuration: configuration)
        let answers = ResolverTable(["hooks.switchboard.invalid": [NetworkAddress(numericHost: "127.0.0.1")!]])
        let addressGuard = WebhookAddressGuard(allowPrivateNetworks: false, resolve: { try await answers.lookup($0) }, admits: { _ in true })
        do {
            try await WebhookReceiver.withReceiver { url, inbox in
                let port = try #require(URL(string: url)?.port)
                let webhook = try await store.createWebhook(url: "http://hooks.switchboard.invalid:\(port)/hook", events: [], secret: "whsec_dGVzdC1zZWNyZXQtMDEyMzQ1Njc4OWFi", at: Date())
                for id in ["m1", "m2"] {
                    try await store.insert([NewMessage(id: id, recipient: "919812345678", kind: .text, body: #"{"text":"hi"}"#, ref: nil, ref1: nil, ref2: nil, createdAt: Date())])
                    try await store.complete([MessageCompletion(messageId: id, status: .failed, route: nil, account: "k", provider: "klaros", providerMessageId: nil,
                                                                errorCode: .providerError, errorMessage: "no", providerCode: nil, at: Date())], idempotency: nil)
                }
                let due = try await store.dueDeliveries(now: Date().addingTimeInterval(1), limit: 2)
                try #require(due.count == 2)
                let service = WebhookDeliveryService(store: store, client: client, logger: Logger(label: "test"), addressGuard: addressGuard, pinnedClients: pinned)

                await service.attempt(due[0])
                let first = await inbox.deliveries
                #expect(first.count == 1)
                #expect(first.first?.headers["host"] == "hooks.switchboard.invalid:\(port)")

                await answers.set("hooks.switchboard.invalid", to: [NetworkAddress(numericHost: "127.0.0.2")!])
                await service.attempt(due[1])
                #expect(await inbox.deliveries.count == 1, "nothing listens on 127.0.0.2")
                let attempts = try #require(try await store.deliveries(webhookId: webhook.id, limit: 2)).flatMap(\.attempts)
                #expect(attempts.map(\.statusCode).sorted { ($0 ?? 0) < ($1 ?? 0) } == [nil, 204])
            }
        } catch {
            await pinned.shutdown()
            try await client.shutdown()
            throw error
        }
        await pinned.shutdown()
        try await client.shutdown()
    }

    /// A webhook already registered (or a name re-pointed since) is checked again at delivery: nothing is sent, and the
    /// attempt is recorded with the reason.
    @Test(arguments: [false, true])
    func deliveriesToPrivateAddressesAreRefusedUnlessAllowed(allowPrivate: Bool) async throws {
        let store = SQLiteMessageStore(database: try .inMemory())
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        do {
            try await WebhookReceiver.withReceiver { url, inbox in
                let webhook = try await store.createWebhook(url: url, events: [], secret: "whsec_dGVzdC1zZWNyZXQtMDEyMzQ1Njc4OWFi", at: Date())
                try await store.insert([NewMessage(id: "m1", recipient: "919812345678", kind: .text, body: #"{"text":"hi"}"#, ref: nil, ref1: nil, ref2: nil, createdAt: Date())])
                try await store.complete([MessageCompletion(messageId: "m1", status: .failed, route: nil, account: "k", provider: "klaros", providerMessageId: nil,
                                                            errorCode: .providerError, errorMessage: "no", providerCode: nil, at: Date())], idempotency: nil)
                let due = try #require(try await store.dueDeliveries(now: Date().addingTimeInterval(1), limit: 1).first)
                let metrics = GatewayMetrics()
                let service = WebhookDeliveryService(store: store, client: client, logger: Logger(label: "test"),
                                                     addressGuard: WebhookAddressGuard(allowPrivateNetworks: allowPrivate),
                                                     pinnedClients: PinnedClients(configuration: .init()), metrics: metrics)
                await service.attempt(due)
                let outcome = allowPrivate ? "delivered" : "refused"
                #expect(String(decoding: metrics.registry.emitToBuffer(), as: UTF8.self).contains(#"switchboard_webhook_deliveries_total{outcome="\#(outcome)"} 1"#))
                let attempts = try #require(try await store.deliveries(webhookId: webhook.id, limit: 1)?.first?.attempts)
                let received = await inbox.deliveries.count
                if allowPrivate {
                    #expect(received == 1)
                    #expect(attempts.first?.statusCode == 204)
                } else {
                    #expect(received == 0)
                    #expect(attempts.first?.statusCode == nil)
                    #expect(attempts.first?.error?.contains("private or loopback") == true)
                }
            }
        } catch {
            try await client.shutdown()
            throw error
        }
        try await client.shutdown()
    }
}

extension WebhookAddressGuard {
    /// Why no delivery may be made to `url` now; nil when it may.
    func problem(with url: String) async -> String? {
        if case .refuse(let reason) = await check(url) { return reason }
        return nil
    }
}

/// A resolver's answers that a test can change between deliveries.
actor ResolverTable {
    private var entries: [String: [NetworkAddress]]
    init(_ entries: [String: [NetworkAddress]]) { self.entries = entries }
    func set(_ host: String, to addresses: [NetworkAddress]) { entries[host] = addresses }
    func lookup(_ host: String) throws -> [NetworkAddress] {
        guard let addresses = entries[host] else { throw HostResolver.Failure(host: host, reason: "not found") }
        return addresses
    }
}
