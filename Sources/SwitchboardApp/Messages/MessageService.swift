import Foundation
import Hummingbird
import Logging
import SwitchboardCore
import SwitchboardDispatch
import SwitchboardStore

/// The send workflow: idempotency, write before any provider call, dispatch, write each attempt as it ends,
/// settle, and only then answer.
struct MessageService<Store: GatewayStore>: Sendable {
    let store: Store
    let routing: LiveDispatcher
    let metrics: GatewayMetrics
    var doorbell: QueueDoorbell?
    var wallClock: WallClock = .system
    var storeHealth = StoreHealth()
    var pendingOutcomes = PendingOutcomes()
    static var idempotencyTTL: TimeInterval { 24 * 3600 }

    func pipeline(_ dispatcher: Dispatcher) -> SendPipeline<Store> {
        SendPipeline(store: store, dispatcher: dispatcher, metrics: metrics, wallClock: wallClock, storeHealth: storeHealth)
    }

    struct Answer: Sendable {
        var status: HTTPResponse.Status
        var body: JSONValue
    }

    func send(_ request: SendMessageRequest, idempotencyKey: String?, logger: Logger) async throws -> Answer {
        // One configuration for the whole send, even if a reload lands meanwhile.
        let dispatcher = routing.current
        let table = dispatcher.table
        if let from = request.from, table.account(pinnedBy: from) == nil {
            throw APIError(.invalidRequest, "$.from: \"\(from)\" names no account id or sender line", details: ["path": "$.from"])
        }
        if let route = request.route, table.route(named: route) == nil {
            throw APIError(.invalidRequest, "$.route: no route named \"\(route)\"", details: ["path": "$.route"])
        }
        let started = ContinuousClock.now
        let createdAt = wallClock.now()
        let ids = request.recipients.map { _ in RecordID.make("msg_", at: createdAt) }

        if let key = idempotencyKey {
            let begun: IdempotencyBegin
            do {
                begun = try await store.beginIdempotent(key: key, requestHash: request.fingerprint, messageIds: ids, now: createdAt)
            } catch {
                throw storeUnavailable(error)
            }
            switch begun {
            case .claimed: break
            case .completed(let status, let body):
                let replay = JSONValue.parse(body) ?? .null
                return Answer(status: HTTPResponse.Status(code: status), body: replay)
            case .inProgress:
                throw APIError(.idempotencyInProgress, "a request with this Idempotency-Key is still being processed")
            case .mismatch:
                throw APIError(.idempotencyKeyReused, "this Idempotency-Key was used with a different request")
            case .interrupted(let earlier):
                var entries: [JSONValue] = []
                for id in earlier { if let message = try await store.message(id: id) { entries.append(MessageView.render(message)) } }
                return Answer(status: .ok, body: .object(["data": .array(entries)]))
            }
        }

        let body = request.body.stored
        let newMessages = zip(ids, request.recipients).map { id, recipient in
            NewMessage(id: id, recipient: recipient.digits, kind: request.body.kind, body: body, ref: request.ref, ref1: request.ref1, ref2: request.ref2, createdAt: createdAt)
        }
        if request.mode == .queued {
            return try await enqueue(request, messages: newMessages, idempotencyKey: idempotencyKey, createdAt: createdAt)
        }
        let states: [String: CustomerState]
        do {
            states = try await store.insert(newMessages, readingStatesOf: request.recipients.map(\.digits))
            storeHealth.writeSucceeded()
        } catch {
            if let idempotencyKey { try? await store.releaseIdempotency(key: idempotencyKey) }
            throw storeUnavailable(error)
        }

        let work = SendPipeline<Store>.Work(
            ids: ids,
            request: Dispatcher.Request(
                recipients: request.recipients, body: request.body, ref: request.ref, ref1: request.ref1, ref2: request.ref2,
                from: request.from, route: request.route, pacing: .bounded),
            states: states, now: createdAt, marking: .insertedAsStarted)
        let (sent, calledProvider) = await pipeline(dispatcher).run(work, logger: logger)
        let results = sent.map { (settlement: $0.settlement, attempts: $0.attempts) }
        let lastRound = sent.flatMap(\.lastRound)

        let settledAt = wallClock.now()
        let settlements = results.map(\.settlement)
        let echo = MessageView.echo(of: request)
        let entries: [JSONValue] = results.enumerated().map { index, result in
            result.settlement.view(to: request.recipients[index], attempts: result.attempts, createdAt: createdAt, echo: echo)
        }
        let answer: Answer
        if settlements.count == 1, let error = settlements[0].error {
            var details = MessageView.errorExtras(code: error.rawValue, providerCode: settlements[0].providerCode)
            details["messageId"] = .string(ids[0])
            details["attempts"] = MessageView.attempts(results[0].attempts)
            let apiError = APIError(APIError.Code(error), settlements[0].message ?? error.rawValue, details: details)
            answer = Answer(status: apiError.status, body: apiError.body)
        } else {
            answer = Answer(status: .ok, body: .object(["data": .array(entries)]))
        }
        let completion = idempotencyKey.map {
            IdempotencyCompletion(key: $0, responseStatus: Int(answer.status.code), responseBody: Data(answer.body.encoded()), expiresAt: settledAt.addingTimeInterval(Self.idempotencyTTL))
        }
        let completions = settlements.map { $0.completion(at: settledAt) }
        do {
            try await store.complete(completions, attempts: lastRound, idempotency: completion)
        } catch {
            // The outcome is kept and written once the store takes writes again; the key stays in progress meanwhile.
            await pendingOutcomes.add(.init(completions: completions, attempts: lastRound, idempotency: completion))
            guard calledProvider else { throw storeUnavailable(error) }
            storeHealth.writeFailed(error)
            throw APIError(
                .statusUnknown, "a provider was called but the outcome could not be stored; it will be recorded when the store writes again",
                details: ["messageIds": .array(ids.map(JSONValue.string))])
        }
        let elapsed = ContinuousClock.now - started
        for settlement in settlements { metrics.message(status: settlement.status.rawValue, errorCode: settlement.errorCode, duration: elapsed) }
        return answer
    }

    /// A write refused before any provider call: 503, and nothing was sent.
    func storeUnavailable(_ error: any Error) -> APIError {
        storeHealth.writeFailed(error)
        return APIError(.storeUnavailable, "the message store cannot take writes; nothing was sent, try again later")
    }
}

extension MessageService {
    /// Queued mode: answered 202 as soon as the messages are durably stored; the queue workers send them.
    func enqueue(_ request: SendMessageRequest, messages: [NewMessage], idempotencyKey: String?, createdAt: Date) async throws -> Answer {
        let expiresAt = createdAt.addingTimeInterval(TimeInterval(request.validityMs) / 1000)
        do {
            try await store.enqueue(messages.map { QueuedMessage(message: $0, from: request.from, route: request.route, expiresAt: expiresAt) })
            storeHealth.writeSucceeded()
        } catch {
            if let idempotencyKey { try? await store.releaseIdempotency(key: idempotencyKey) }
            throw storeUnavailable(error)
        }
        await doorbell?.ring()
        let echo = MessageView.echo(of: request)
        let entries: [JSONValue] = messages.map { message in
            .object(echo.merging([
                "id": .string(message.id), "to": .string("+" + message.recipient), "status": .string(MessageStatus.queued.rawValue),
                "createdAt": .string(MessageView.timestamp(createdAt)), "expiresAt": .string(MessageView.timestamp(expiresAt)),
            ]) { _, own in own })
        }
        let answer = Answer(status: .accepted, body: .object(["data": .array(entries)]))
        if let idempotencyKey {
            let completion = IdempotencyCompletion(
                key: idempotencyKey, responseStatus: 202, responseBody: Data(answer.body.encoded()), expiresAt: createdAt.addingTimeInterval(Self.idempotencyTTL))
            do {
                try await store.complete([], idempotency: completion)
            } catch {
                // The messages are stored and will be sent: the answer stands, and the key is completed later.
                storeHealth.writeFailed(error)
                await pendingOutcomes.add(.init(completions: [], attempts: [], idempotency: completion))
            }
        }
        return answer
    }
}
