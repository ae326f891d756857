import Foundation
import SwitchboardCore
import SwitchboardSimulators
import Testing

@testable import SwitchboardDispatch

/// A provider whose calls wait until the test opens the gate, and which records them.
actor GatedProvider: Provider {
    nonisolated let name = "kaleyra"
    nonisolated let capabilities = ProviderCapabilities(
        maxBatch: 1, maxTextLength: 4096, supportsTemplates: true, supportsTemplateListing: false,
        supportsNumberListing: false)
    private(set) var calls = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []
    private var open = false

    func send(_ request: SendRequest, account: Account, timeout: Duration) async -> [RecipientResult] {
        calls += 1
        if !open { await withCheckedContinuation { waiting.append($0) } }
        return request.recipients.map {
            RecipientResult(recipient: $0, outcome: .accepted(providerMessageId: "id-\(calls)", status: "accepted"))
        }
    }

    func openGate() {
        open = true
        for continuation in waiting { continuation.resume() }
        waiting = []
    }
}

/// Counts the provider requests the dispatcher said must wait, and those it let through to be marked.
actor MarkLog {
    private(set) var waited = 0
    private(set) var marked = 0
    func wait() { waited += 1 }
    func mark() { marked += 1 }
}

@Suite struct ConnectionPermitsTests {
    @Test func aPermitGoesToTheLongestWaiterWhenOneIsReleased() async throws {
        let permits = ConnectionPermits(limit: 1)
        await permits.acquire("http://a")
        #expect(permits.tryAcquire("http://b"), "other hosts have permits of their own")
        #expect(!permits.tryAcquire("http://a"))
        async let second: Void = permits.acquire("http://a")
        while permits.waiting("http://a") == 0 { await Task.yield() }
        permits.release("http://a")
        await second
        #expect(permits.waiting("http://a") == 0)
        #expect(!permits.tryAcquire("http://a"), "the waiter holds the permit now")
        permits.release("http://a")
        #expect(permits.tryAcquire("http://a"))
    }

    @Test func theHostIsSchemeHostAndPort() {
        #expect(ConnectionPermits.host(of: "http://127.0.0.1:7001/v1/HX/messages") == "http://127.0.0.1:7001")
        #expect(ConnectionPermits.host(of: "https://api.in.kaleyra.io") == "https://api.in.kaleyra.io")
    }

    /// Past the limit, a send is announced to `willWait` and waits before `willSend`, so its message can be unmarked
    /// while it waits (a stop then fails it as `interrupted` instead of holding it `unknown`).
    @Test func sendsPastTheLimitWaitUnmarked() async throws {
        try await SimulatorHost(setup: DispatchHarness.setup).withRunning { host in
            let base = try await DispatchHarness.dispatcher(host)
            let provider = GatedProvider()
            let dispatcher = Dispatcher(
                table: base.table, providers: ["kaleyra": provider, "klaros": provider],
                health: HealthBoard(policy: base.table.policy),
                clock: SystemClock(), permits: ConnectionPermits(limit: 1), seeds: { 1 })
            let log = MarkLog()
            let request = Dispatcher.Request(recipients: DispatchHarness.numbers("+919812345678"), body: .text("hi"))
            try await withThrowingTaskGroup(of: Dispatcher.Result?.self) { group in
                for _ in 0..<2 {
                    group.addTask {
                        await dispatcher.send(
                            request, willWait: { _ in await log.wait() },
                            willSend: { _ in
                                await log.mark()
                                return true
                            }
                        ).first
                    }
                }
                let host = ConnectionPermits.host(of: try #require(dispatcher.table.account("kaleyra-in")).baseURL)
                // The first send is at the provider (holding the permit), the second waits for it.
                while dispatcher.permits?.waiting(host) != 1 { await Task.yield() }
                while await provider.calls != 1 { await Task.yield() }
                #expect(await log.marked == 1, "the second send waits for a permit before it is marked")
                #expect(await log.waited == 1, "and was announced as waiting")
                await provider.openGate()
                var accepted = 0
                for try await result in group where result?.acceptedAccount == "kaleyra-in" { accepted += 1 }
                #expect(accepted == 2)
                #expect(await log.marked == 2)
                #expect(await log.waited == 1)
            }
        }
    }
}
