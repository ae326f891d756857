import SwitchboardCore
import SwitchboardDispatch

/// A dispatcher over fake accounts on a `FakeProvider`, driven by a `ManualClock`: the engine as it runs in the
/// gateway, with no sockets and no wall-clock time.
public struct FakeEngine: Sendable {
    public let clock: ManualClock
    public let provider: FakeProvider
    public let dispatcher: Dispatcher

    /// - Parameters:
    ///   - accounts: account ids, in the one route's priority order; each sends from its own line.
    ///   - policy: the route table's policy.
    public init(accounts: [String] = ["primary", "backup"], policy: Policy = FakeEngine.quickPolicy, seed: UInt64 = 1) {
        clock = ManualClock()
        provider = FakeProvider(clock: clock)
        let table = RouteTable(
            accounts: accounts.enumerated().map { index, id in Self.account(id, line: "+1555000\(1000 + index)") },
            routes: [Route(
                name: "default", match: nil, targets: accounts.map { Route.Target(account: $0) }, policy: policy)],
            policy: policy)
        dispatcher = Dispatcher(
            table: table, providers: [provider.name: provider], health: HealthBoard(policy: policy), clock: clock,
            seeds: { seed })
    }

    public static func account(_ id: String, line: String) -> Account {
        Account(id: id, provider: "fake", apiKey: Secret("key-\(id)"), from: line, baseURL: "http://fake.invalid/\(id)")
    }

    /// No backoff and no jitter worth waiting for, so only what a test scripts moves the clock.
    public static var quickPolicy: Policy {
        var policy = Policy()
        policy.backoff = .init(baseMs: 0, maxMs: 0)
        return policy
    }

    public static func number(_ raw: String = "+14155550100") -> PhoneNumber { try! PhoneNumber(raw) }

    /// One text to one recipient; the result for it.
    public func sendOne(_ text: String = "hello", to raw: String = "+14155550100") async -> Dispatcher.Result {
        await dispatcher.send(.init(recipients: [Self.number(raw)], body: .text(text)))[0]
    }
}

extension Dispatcher.Result {
    /// The account that took the message, if one did.
    public var acceptedBy: String? {
        if case .planned(.accepted(let account, _, _)) = outcome { return account.id }
        return nil
    }
}
