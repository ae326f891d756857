import Foundation
import Logging
import ServiceLifecycle
import SwitchboardCore
import SwitchboardDispatch
import SwitchboardStore

/// Sends queued messages: claims due ones in batches, groups those with the same content into one dispatch (so Kaleyra
/// batches them), keeps each line to its rate, and settles or reschedules them in grouped commits.
struct QueueWorker<Store: GatewayStore>: Service {
    let store: Store
    let routing: LiveDispatcher
    let metrics: GatewayMetrics
    let logger: Logger
    var claimSize = 256
    var groupsInFlight = 16
    /// The longest an idle worker sleeps before it looks at the queue again (a read); queued sends wake it at once
    /// through `doorbell`, and a message due sooner (a retry, a paced send) shortens the sleep. It claims (a write)
    /// only when something is due.
    var idle: Duration = .seconds(1)
    /// Spacing of sends to one customer (WhatsApp's pair rate).
    var pairIntervalMs = 6000
    let pairs = PairSpacing()

    /// Claim loops running side by side, so one round's provider calls overlap the next round's claim and settle.
    /// Claims are single `UPDATE … RETURNING` statements, so two loops never take the same message.
    var loops = 2
    /// Whether the gateway is shutting down: sends still waiting for their line's rate then go back to the queue.
    var drain = DrainSignal { Task.isShuttingDownGracefully }
    var doorbell = QueueDoorbell()
    /// Outcomes the store refused, written once it takes writes again.
    var pendingOutcomes = PendingOutcomes()
    var storeHealth = StoreHealth()

    func pipeline(_ dispatcher: Dispatcher) -> SendPipeline<Store> {
        SendPipeline(store: store, dispatcher: dispatcher, metrics: metrics, storeHealth: storeHealth)
    }

    func run() async throws {
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<loops { group.addTask { await loop() } }
        }
    }

    private func loop() async {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            var handled = 0
            var pause = idle
            do {
                let now = Date()
                let due = try await store.nextQueuedDueDate()
                if let due, due <= now { handled = try await runOnce(now: now) }
                if let due { pause = Self.pause(until: due, from: now, atMost: idle) }
            } catch {
                logger.error("queue round failed", metadata: ["error.type": "\(type(of: error))"])
            }
            if handled == 0 {
                let wait = pause
                await cancelWhenGracefulShutdown { [doorbell] in await doorbell.wait(timeout: wait) }
            }
        }
    }

    /// How long an idle worker sleeps when the next message is due at `due`: not past it, nor past `atMost`, and at
    /// least a few milliseconds, so a message another loop is still claiming does not make this one spin.
    static func pause(until due: Date, from now: Date, atMost: Duration) -> Duration {
        let untilDue = Duration.milliseconds(Int64((due.timeIntervalSince(now) * 1000).rounded(.up)))
        return max(.milliseconds(5), min(untilDue, atMost))
    }

    /// One round: claim, send, settle. Returns how many messages it claimed.
    func runOnce(now: Date) async throws -> Int {
        let claimed = try await store.claimDue(now: now, limit: claimSize)
        guard !claimed.isEmpty else { return 0 }
        // A customer who got a message less than pairIntervalMs ago waits for their slot.
        var ready: [ClaimedMessage] = []
        var deferred: [(id: String, notBefore: Date, countsAsAttempt: Bool)] = []
        for message in claimed {
            let slot = await pairs.reserve(customer: message.recipient, now: now, intervalMs: pairIntervalMs)
            if slot > now { deferred.append((message.id, slot, false)) } else { ready.append(message) }
        }
        try await store.reschedule(deferred)
        let groups = Dictionary(grouping: ready) { "\($0.body)\u{1E}\($0.from ?? "")\u{1E}\($0.route ?? "")\u{1E}\($0.ref ?? "")\u{1E}\($0.ref1 ?? "")\u{1E}\($0.ref2 ?? "")" }
        await withTaskGroup(of: Void.self) { group in
            var pending = Array(groups.values)
            for _ in 0..<min(groupsInFlight, pending.count) {
                let next = pending.removeLast()
                group.addTask { await send(next, now: now) }
            }
            for await _ in group where !pending.isEmpty {
                let next = pending.removeLast()
                group.addTask { await send(next, now: now) }
            }
        }
        return claimed.count
    }

    /// `now` is the round's time: retries and expiry are reckoned from it, so tests can drive the schedule.
    private func send(_ group: [ClaimedMessage], now: Date) async {
        guard let first = group.first, let body = MessageBody(stored: first.body) else {
            await settle(group.map { Settlement(id: $0.id, blocked: .internalError, message: "stored body is unreadable") }, now: now)
            return
        }
        let readable = group.map { (message: $0, recipient: try? PhoneNumber($0.recipient)) }
        let unreadable = readable.filter { $0.recipient == nil }.map(\.message)
        if !unreadable.isEmpty {
            await settle(unreadable.map { Settlement(id: $0.id, blocked: .internalError, message: "stored recipient is unreadable") }, now: now)
        }
        let messages = readable.filter { $0.recipient != nil }.map(\.message)
        let recipients = readable.compactMap(\.recipient)
        guard !messages.isEmpty else { return }
        let states: [String: CustomerState]
        do {
            states = try await store.conversationStates(customers: recipients.map(\.digits))
        } catch {
            // Nothing has been sent: the whole group may go back to the queue.
            logger.error("queued send failed", metadata: ["error.type": "\(type(of: error))"])
            try? await store.reschedule(messages.map { ($0.id, now.addingTimeInterval(5), false) })
            return
        }
        // A message is marked before its provider call or not sent at all: an unmarked one goes back to the queue
        // at the next start, and must not have left.
        let work = SendPipeline<Store>.Work(
            ids: messages.map(\.id),
            request: Dispatcher.Request(
                recipients: recipients, body: body, ref: first.ref, ref1: first.ref1, ref2: first.ref2, from: first.from,
                route: first.route, pacing: .wait(drain)),
            states: states, now: now, marking: .beforeEachRequest)
        let (sent, _) = await pipeline(routing.current).run(work, logger: logger)
        var settled: [Settlement] = []
        var retries: [(id: String, notBefore: Date, countsAsAttempt: Bool)] = []
        var lastRound: [NewAttempt] = []
        for (message, recipient) in zip(messages, sent) {
            lastRound += recipient.lastRound
            guard let result = recipient.result else {
                settled.append(recipient.settlement)
                continue
            }
            let planned: SendPlan.Outcome? = if case .planned(let outcome) = result.outcome { outcome } else { nil }
            switch QueueRetryPolicy.decide(
                planned, drained: result.drained, attempts: message.queueAttempts, now: now, expiresAt: message.expiresAt)
            {
            case .requeue(let at, let countsAsAttempt):
                retries.append((message.id, at, countsAsAttempt))
            case .expire:
                var expired = recipient.settlement
                expired.error = .expired
                expired.message = "validity period ended after \(message.queueAttempts + 1) tries; last: \(expired.message ?? "")"
                settled.append(expired)
            case .settle:
                settled.append(recipient.settlement)
            }
        }
        // The last round's attempts go in with the outcome; for rescheduled messages, on their own.
        let retried = Set(retries.map(\.id))
        do {
            try await store.record(lastRound.filter { retried.contains($0.messageId) })
            try await store.reschedule(retries)
        } catch {
            // Never the whole group back to the queue now: some of it may have reached a provider. What could not be
            // rescheduled stays `sending`; at the next start, marked messages become `unknown`, unmarked ones queued.
            logger.error("could not reschedule queued messages after their send", metadata: ["error.type": "\(type(of: error))"])
        }
        await settle(settled, attempts: lastRound.filter { !retried.contains($0.messageId) }, now: now)
    }

    private func settle(_ settlements: [Settlement], attempts: [NewAttempt] = [], now: Date) async {
        guard !settlements.isEmpty else { return }
        let completions = settlements.map { $0.completion(at: now) }
        do {
            try await store.complete(completions, attempts: attempts, idempotency: nil)
        } catch {
            // Kept, and written when the store takes writes again; the messages stay `sending` meanwhile.
            storeHealth.writeFailed(error)
            await pendingOutcomes.add(.init(completions: completions, attempts: attempts, idempotency: nil))
        }
        for settlement in settlements { metrics.settled(status: settlement.status.rawValue, errorCode: settlement.errorCode) }
    }
}

/// The last send slot per customer, for the pair rate.
actor PairSpacing {
    private var last: [String: Date] = [:]

    /// The time this customer's next message may go; reserves it when it is now.
    func reserve(customer: String, now: Date, intervalMs: Int) -> Date {
        let slot = last[customer].map { $0.addingTimeInterval(TimeInterval(intervalMs) / 1000) } ?? now
        if slot <= now {
            last[customer] = now
            return now
        }
        return slot
    }
}
