import AsyncHTTPClient

/// One HTTP client per webhook host name, connecting only to an address the guard has just checked (AsyncHTTPClient's
/// `dnsOverride`; TLS still sends and verifies the name). A shared client would look the name up again when it
/// connects, and a name re-pointed in between (DNS rebinding) would reach a private address after all.
actor PinnedClients {
    private let configuration: HTTPClient.Configuration
    private var clients: [String: (address: String, client: HTTPClient, lastUsed: ContinuousClock.Instant)] = [:]
    private var retired: [(client: HTTPClient, since: ContinuousClock.Instant)] = []
    /// Longer than a delivery may take (15 s), so a replaced client has nothing in flight when it is shut down.
    private let retireAfter: Duration
    /// A host's client unused this long is retired too, so hosts that no webhook names any more do not keep one.
    private let idleAfter: Duration

    init(configuration: HTTPClient.Configuration, retireAfter: Duration = .seconds(30), idleAfter: Duration = .seconds(600)) {
        self.configuration = configuration
        self.retireAfter = retireAfter
        self.idleAfter = idleAfter
    }

    /// The host's client, kept while its address is still among those checked (round-robin answers reorder), else
    /// a new one pinned to the first checked address.
    func client(for pin: WebhookAddressGuard.Pin) async -> HTTPClient {
        let now = ContinuousClock.now
        retireIdle(now: now)
        await shutDownRetired(now: now)
        let addresses = pin.addresses.map(\.description)
        if let current = clients[pin.host], addresses.contains(current.address) {
            clients[pin.host]?.lastUsed = now
            return current.client
        }
        if let replaced = clients[pin.host] { retired.append((replaced.client, now)) }
        var configuration = configuration
        // Keyed as the URL spells the name and lowercased, whichever form the client compares.
        configuration.dnsOverride[pin.host] = addresses[0]
        configuration.dnsOverride[pin.host.lowercased()] = addresses[0]
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        clients[pin.host] = (addresses[0], client, now)
        return client
    }

    /// How many hosts have a client (retired ones aside).
    var hostCount: Int { clients.count }

    /// Every client, once deliveries have stopped.
    func shutdown() async {
        let all = clients.values.map(\.client) + retired.map(\.client)
        clients = [:]
        retired = []
        for client in all { try? await client.shutdown() }
    }

    private func retireIdle(now: ContinuousClock.Instant) {
        for (host, entry) in clients where now - entry.lastUsed >= idleAfter {
            clients[host] = nil
            retired.append((entry.client, now))
        }
    }

    private func shutDownRetired(now: ContinuousClock.Instant) async {
        let due = retired.filter { now - $0.since >= retireAfter }
        guard !due.isEmpty else { return }
        retired.removeAll { now - $0.since >= retireAfter }
        for entry in due { try? await entry.client.shutdown() }
    }
}
