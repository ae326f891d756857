import SwitchboardCore

/// Carries a send through the engine: plans each recipient, groups recipients that go to the same account into one
/// provider request, performs attempts, and feeds the outcomes back to the plans and the health board.
public struct Dispatcher: Sendable {
    public struct Request: Sendable {
        public var recipients: [PhoneNumber]
        public var body: MessageBody
        public var ref: String?
        public var ref1: String?
        public var ref2: String?
        /// Pins an account by id or sender line.
        public var from: String?
        /// Pins a route by name.
        public var route: String?
        /// Per recipient (digits): accounts with an open 24-hour window, preferred for text.
        public var openWindows: [String: Set<String>]
        /// How to keep to each account's rate.
        public var pacing: Pacing

        public init(recipients: [PhoneNumber], body: MessageBody, ref: String? = nil, ref1: String? = nil, ref2: String? = nil,
                    from: String? = nil, route: String? = nil, openWindows: [String: Set<String>] = [:], pacing: Pacing = .bounded) {
            self.recipients = recipients
            self.body = body
            self.ref = ref
            self.ref1 = ref1
            self.ref2 = ref2
            self.from = from
            self.route = route
            self.openWindows = openWindows
            self.pacing = pacing
        }
    }

    public enum Pacing: Sendable {
        /// Wait for the account's slot however long (queued sends), unless the signal says the gateway is draining.
        case wait(DrainSignal?)
        /// Wait up to the policy's `pacingMaxWaitMs`, else fail over (synchronous sends).
        case bounded
    }

    /// One recipient's result.
    public struct Result: Sendable {
        public var recipient: PhoneNumber
        public var route: String?
        public var outcome: Outcome
        public var attempts: [Attempt]
        /// Attempts never passed to `onAttempts` (the last round's): the caller writes them with the outcome.
        public var unreportedAttempts: [Attempt] = []
        /// The send stopped because the gateway is draining, before every candidate was tried.
        public var drained = false
    }

    public enum Outcome: Sendable, Hashable {
        case planned(SendPlan.Outcome)
        case unroutable(RoutingError)
    }

    public let table: RouteTable
    public let providers: [String: any Provider]
    public let health: HealthBoard
    public let clock: any GatewayClock
    /// Keeps each account to its rate; nil sends unpaced.
    public let pacer: Pacer?
    /// The status callback URL for an account, when the provider takes one per request.
    public let callbackURL: @Sendable (Account) -> String?
    /// Provider requests in flight per host; nil lets every request through at once.
    public let permits: ConnectionPermits?
    /// Each account's permit key, worked out once rather than on every provider call.
    private let hosts: [String: String]
    private let seeds: @Sendable () -> UInt64

    public init(
        table: RouteTable, providers: [String: any Provider], health: HealthBoard, clock: any GatewayClock, pacer: Pacer? = nil,
        callbackURL: @escaping @Sendable (Account) -> String? = { _ in nil }, permits: ConnectionPermits? = nil,
        seeds: @escaping @Sendable () -> UInt64 = { UInt64.random(in: .min ... .max) }
    ) {
        self.table = table
        self.providers = providers
        self.health = health
        self.clock = clock
        self.pacer = pacer
        self.callbackURL = callbackURL
        self.permits = permits
        self.hosts = Dictionary(table.accounts.map { ($0.id, ConnectionPermits.host(of: $0.baseURL)) }, uniquingKeysWith: { a, _ in a })
        self.seeds = seeds
    }

    public var planner: RoutePlanner { RoutePlanner(table: table) }

    /// The same engine (adapters, health board, pacer, connection permits) over a reloaded route table.
    public func replacingTable(_ table: RouteTable) -> Dispatcher {
        Dispatcher(
            table: table, providers: providers, health: health, clock: clock, pacer: pacer, callbackURL: callbackURL,
            permits: permits, seeds: seeds)
    }

    /// One recipient's route, planned once: what the caller checks (the conversation gate) and what `send` follows.
    public struct Planned: Sendable {
        public var recipient: PhoneNumber
        public var route: Swift.Result<RoutePlanner.Plan, RoutingError>
        /// The plan's own random stream (backoff jitter), drawn with the route.
        let seed: UInt64
    }

    /// Plans every recipient of `request`, with its open windows, drawing each weighted pick from this dispatcher's
    /// seeds.
    public func plan(_ request: Request) -> [Planned] {
        var random = SplitMix64(seed: seeds())
        return request.recipients.map { recipient in
            let windows = request.openWindows[recipient.digits] ?? []
            let route = planner.plan(
                to: recipient, kind: request.body.kind, from: request.from, route: request.route, draw: random.nextUnit(),
                openWindows: windows)
            return Planned(recipient: recipient, route: route, seed: random.next())
        }
    }

    /// Plans and sends `request`; see `send(_:planned:willWait:willSend:onAttempts:)`.
    public func send(
        _ request: Request, willWait: @escaping @Sendable ([Int]) async -> Void = { _ in },
        willSend: @escaping @Sendable ([Int]) async -> Bool = { _ in true },
        onAttempts: @Sendable ([(index: Int, attempt: Attempt)]) async -> Void = { _ in }
    ) async -> [Result] {
        await send(request, planned: plan(request), willWait: willWait, willSend: willSend, onAttempts: onAttempts)
    }

    /// Sends to the `planned` recipients with `request`'s content; results are in `planned`'s order, and `request`'s
    /// own recipients are not read.
    /// - Parameters:
    ///   - willWait: called with the recipient indices of a provider request that must wait for a connection to its
    ///     host before `willSend`; nothing has been sent for them yet.
    ///   - willSend: called with the recipient indices of each provider request just before it is made; false means
    ///     the caller could not record it, and the request is not made (those recipients skip that account).
    ///   - onAttempts: called with the attempts that ended, before the next provider call for this send is made (so
    ///     every attempt is on record before anything else goes out); the last round's are left in `unreportedAttempts`.
    public func send(
        _ request: Request, planned routes: [Planned], willWait: @escaping @Sendable ([Int]) async -> Void = { _ in },
        willSend: @escaping @Sendable ([Int]) async -> Bool = { _ in true },
        onAttempts: @Sendable ([(index: Int, attempt: Attempt)]) async -> Void = { _ in }
    ) async -> [Result] {
        var request = request
        request.recipients = routes.map(\.recipient)
        let started = clock.now()
        var plans: [SendPlan?] = []
        var results: [Result?] = Array(repeating: nil, count: routes.count)
        var routeNames: [String?] = Array(repeating: nil, count: routes.count)
        for (index, planned) in routes.enumerated() {
            switch planned.route {
            case .success(let plan):
                routeNames[index] = plan.routeName
                plans.append(SendPlan(candidates: plan.candidates, policy: plan.policy, startedAt: started, seed: planned.seed))
            case .failure(let error):
                plans.append(nil)
                results[index] = Result(recipient: planned.recipient, route: nil, outcome: .unroutable(error), attempts: [])
            }
        }
        let planned = plans.compactMap { $0 }.count
        var firstView: (health: [String: AccountHealth], budget: RetryBudget)? = await health.beginSends(planned)

        var unreported: [(index: Int, attempt: Attempt)] = []
        func finished(_ index: Int, _ plan: SendPlan, _ outcome: SendPlan.Outcome, drained: Bool) -> Result {
            Result(
                recipient: request.recipients[index], route: routeNames[index], outcome: .planned(outcome),
                attempts: plan.attempts, unreportedAttempts: unreported.filter { $0.index == index }.map(\.attempt),
                drained: drained)
        }
        while results.contains(where: { $0 == nil }) {
            let now = clock.now()
            let (snapshot, budget): ([String: AccountHealth], RetryBudget)
            if let view = firstView { (snapshot, budget) = view; firstView = nil } else { (snapshot, budget) = await health.view() }
            var batches: [String: Batch] = [:]
            var earliestWait: Instant?
            for index in plans.indices where results[index] == nil {
                guard var plan = plans[index] else { continue }
                let action = plan.next(now: now, health: snapshot, budget: budget)
                switch action {
                case .finish(let outcome):
                    results[index] = finished(index, plan, outcome, drained: plan.skipped.values.contains(.draining))
                case .wait(let until):
                    earliestWait = min(earliestWait ?? until, until)
                case .attempt(let account, let timeoutMs, let isRetry):
                    let key = "\(account.id)|\(isRetry)"
                    batches[key, default: Batch(account: account, isRetry: isRetry, timeoutMs: timeoutMs)].add(index, timeoutMs: timeoutMs)
                }
                plans[index] = plan
            }
            if batches.isEmpty {
                guard let earliestWait else { continue }
                do {
                    try await clock.sleep(until: earliestWait)
                } catch {
                    // Cancelled between attempts (a backoff or the retry budget): nothing is in flight, so what is
                    // left ends here as cut short, for the caller to settle like a drain.
                    for index in plans.indices where results[index] == nil {
                        guard var plan = plans[index] else { continue }
                        let outcome = plan.cancel()
                        results[index] = finished(index, plan, outcome, drained: true)
                    }
                }
                continue
            }
            if !unreported.isEmpty {
                await onAttempts(unreported)
                unreported.removeAll()
            }
            let outcomes = await perform(Array(batches.values), request: request, policies: plans.map { $0?.policy }, willWait: willWait, willSend: willSend)
            for (index, report) in outcomes {
                switch report {
                case .skipped(let account, let reason): plans[index]?.recordSkip(account: account, reason: reason)
                case .done(let account, let outcome, let durationMs):
                    plans[index]?.record(account: account, outcome: outcome, durationMs: durationMs, now: clock.now())
                    if let attempt = plans[index]?.attempts.last { unreported.append((index, attempt)) }
                }
            }
        }
        await health.endSends(planned)
        return results.map { $0! }
    }

    private struct Batch: Sendable {
        var account: Account
        var isRetry: Bool
        var timeoutMs: Int
        var indices: [Int] = []
        mutating func add(_ index: Int, timeoutMs: Int) {
            indices.append(index)
            self.timeoutMs = min(self.timeoutMs, timeoutMs)
        }
    }

    private enum Report: Sendable {
        case skipped(Account, SkipReason)
        case done(Account, RecipientResult.Outcome, durationMs: Int)
    }

    private func perform(
        _ batches: [Batch], request: Request, policies: [Policy?],
        willWait: @escaping @Sendable ([Int]) async -> Void, willSend: @escaping @Sendable ([Int]) async -> Bool
    ) async -> [(Int, Report)] {
        // One provider request (the common case) runs in this task: a child task would only add a hop.
        if batches.count == 1 { return await perform(batches[0], request: request, policies: policies, willWait: willWait, willSend: willSend) }
        return await withTaskGroup(of: [(Int, Report)].self) { group in
            for batch in batches {
                group.addTask { await perform(batch, request: request, policies: policies, willWait: willWait, willSend: willSend) }
            }
            var all: [(Int, Report)] = []
            for await reports in group { all += reports }
            return all
        }
    }

    private func perform(_ batch: Batch, request: Request, policies: [Policy?],
        willWait: @escaping @Sendable ([Int]) async -> Void, willSend: @escaping @Sendable ([Int]) async -> Bool
    ) async -> [(Int, Report)] {
        let account = batch.account
        guard let provider = providers[account.provider] else {
            let failure = ProviderFailure(.unauthorized, message: "no adapter for provider \(account.provider)")
            return batch.indices.map { ($0, .done(account, .failed(failure), durationMs: 0)) }
        }
        if case .wait(let drain?) = request.pacing, drain.isDraining() {
            return batch.indices.map { ($0, .skipped(account, .draining)) }
        }
        if let pacer {
            let count = batch.indices.count
            switch request.pacing {
            case .wait(let drain):
                let slot = await pacer.reserve(account: account.id, count: count, now: clock.now())
                guard await waitForSlot(slot, drain: drain) else {
                    await pacer.release(account: account.id, count: count)
                    return batch.indices.map { ($0, .skipped(account, .draining)) }
                }
            case .bounded:
                let maxWait = batch.indices.compactMap { policies[$0]?.pacingMaxWaitMs }.min() ?? 0
                let now = clock.now()
                guard let at = await pacer.reserve(account: account.id, count: count, now: now, maxWaitMs: maxWait) else {
                    return batch.indices.map { ($0, .skipped(account, .paced(waitMs: maxWait))) }
                }
                do {
                    try await clock.sleep(until: at)
                } catch {
                    // Cancelled while waiting for the slot: nothing was sent, and the slot goes back.
                    await pacer.release(account: account.id, count: count)
                    return batch.indices.map { ($0, .skipped(account, .paced(waitMs: maxWait))) }
                }
            }
        }
        // A connection's worth of room first, so that what `willSend` lets through goes out without waiting for one.
        let host = hosts[account.id] ?? ConnectionPermits.host(of: account.baseURL)
        if let permits, !permits.tryAcquire(host) {
            await willWait(batch.indices)
            await permits.acquire(host)
        }
        // Before the account is taken, so a refusal leaves no half-open probe or retry counted.
        guard await willSend(batch.indices) else {
            permits?.release(host)
            await pacer?.release(account: account.id, count: batch.indices.count)
            return batch.indices.map { ($0, .skipped(account, .notRecorded)) }
        }
        guard await health.acquire(account.id, now: clock.now(), isRetry: batch.isRetry) else {
            permits?.release(host)
            await pacer?.release(account: account.id, count: batch.indices.count)
            return batch.indices.map { ($0, .skipped(account, .probeInFlight)) }
        }
        let recipients = batch.indices.map { request.recipients[$0] }
        let send = SendRequest(
            recipients: recipients, body: request.body, ref: request.ref, ref1: request.ref1, ref2: request.ref2,
            callbackURL: callbackURL(account))
        let started = clock.now()
        let answers = await provider.send(send, account: account, timeout: .milliseconds(batch.timeoutMs))
        permits?.release(host)
        let ended = clock.now()
        // One provider request is one health event for the account, whatever the batch size.
        let representative = answers.first { $0.failure == nil }?.outcome ?? answers.first?.outcome
        if let representative { await health.record(account.id, outcome: representative, now: ended, wasRetry: batch.isRetry) }
        return zip(batch.indices, answers).map { ($0, .done(account, $1.outcome, durationMs: ended - started)) }
    }

    /// Sleeps until `slot` in steps of at most `drainCheckMs`, so a drain (or cancellation) is noticed while a queued
    /// send waits for its rate; false if it came first, and nothing may be sent.
    private func waitForSlot(_ slot: Instant, drain: DrainSignal?) async -> Bool {
        while clock.now() < slot {
            if drain?.isDraining() == true || Task.isCancelled { return false }
            do { try await clock.sleep(until: min(slot, clock.now() + Self.drainCheckMs)) } catch { return false }
        }
        return drain?.isDraining() != true
    }

    static let drainCheckMs = 100
}
