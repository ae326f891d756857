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
    let dispatcher: Dispatcher
    let metrics: GatewayMetrics
    static var idempotencyTTL: TimeInterval { 24 * 3600 }

    struct Answer: Sendable {
        var status: HTTPResponse.Status
        var body: JSONValue
    }

    func send(_ request: SendMessageRequest, idempotencyKey: String?, logger: Logger) async throws -> Answer {
        let table = dispatcher.table
        let planner = dispatcher.planner
        if let from = request.from, table.account(pinnedBy: from) == nil {
            throw APIError(.invalidRequest, "$.from: \"\(from)\" names no account id or sender line", details: ["path": "$.from"])
        }
        if let route = request.route, table.route(named: route) == nil {
            throw APIError(.invalidRequest, "$.route: no route named \"\(route)\"", details: ["path": "$.route"])
        }
        let started = ContinuousClock.now
        let createdAt = Date()
        let ids = request.recipients.map { _ in "msg_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased() }

        if let key = idempotencyKey {
            switch try await store.beginIdempotent(key: key, requestHash: request.fingerprint, messageIds: ids, now: createdAt) {
            case .claimed: break
            case .completed(let status, let body):
                let replay = (try? JSONDecoder().decode(JSONValue.self, from: body)) ?? .null
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

        let body = String(decoding: JSONValue.from(BodyRecord(request.body)).encoded(), as: UTF8.self)
        do {
            try await store.insert(zip(ids, request.recipients).map { id, recipient in
                NewMessage(id: id, recipient: recipient.digits, kind: request.body.kind, body: body, ref: request.ref, ref1: request.ref1, ref2: request.ref2, createdAt: createdAt)
            })
        } catch {
            if let idempotencyKey { try? await store.releaseIdempotency(key: idempotencyKey) }
            throw error
        }

        // Opt-outs and closed windows are refused here, without a provider call.
        var blocked: [Int: Settlement] = [:]
        var windows: [String: Set<String>] = [:]
        for (index, recipient) in request.recipients.enumerated() {
            if try await store.isOptedOut(customer: recipient.digits) {
                blocked[index] = Settlement(id: ids[index], blocked: .optedOut, message: "\(recipient) opted out; they must write again before anything is sent")
                continue
            }
            let open = ConversationWindow.openAccounts(try await store.lastInbound(customer: recipient.digits), now: createdAt)
            windows[recipient.digits] = open
            guard case .text = request.body,
                  case .success(let plan) = planner.plan(to: recipient, kind: .text, from: request.from, route: request.route, draw: 0),
                  plan.policy.sessionWindow == .enforce else { continue }
            if plan.candidates.allSatisfy({ !open.contains($0.id) }) {
                blocked[index] = Settlement(id: ids[index], blocked: .needsTemplate, message: "no open 24-hour window with \(recipient) on any candidate account: send a template")
            }
        }
        let sendable = request.recipients.indices.filter { blocked[$0] == nil }
        let dispatched = sendable.isEmpty ? [] : await dispatcher.send(
            Dispatcher.Request(
                recipients: sendable.map { request.recipients[$0] }, body: request.body, ref: request.ref, ref1: request.ref1, ref2: request.ref2,
                from: request.from, route: request.route, openWindows: windows)
        ) { [store, metrics] ended in
            for (_, attempt) in ended { metrics.attempt(attempt) }
            do {
                try await store.record(ended.map { NewAttempt(messageId: ids[sendable[$0.index]], attempt: $0.attempt, at: Date()) })
            } catch {
                logger.error("could not record attempts", metadata: ["error.type": "\(type(of: error))"])
            }
        }
        var results: [(settlement: Settlement, attempts: [Attempt])] = request.recipients.indices.map { index in
            (blocked[index] ?? Settlement(id: ids[index], blocked: .internalError, message: nil), [])
        }
        for (position, result) in zip(sendable, dispatched) {
            results[position] = (Settlement(result, id: ids[position]), result.attempts)
        }

        let settledAt = Date()
        let settlements = results.map(\.settlement)
        let entries: [JSONValue] = results.enumerated().map { index, result in
            result.settlement.view(to: request.recipients[index], attempts: result.attempts, createdAt: createdAt)
        }
        let answer: Answer
        if settlements.count == 1, let error = settlements[0].error {
            var details: [String: JSONValue] = ["messageId": .string(ids[0]), "attempts": MessageView.attempts(results[0].attempts)]
            if let code = settlements[0].providerCode { details["providerCode"] = .string(code) }
            if error == .needsTemplate { details["needsTemplate"] = true }
            let apiError = APIError(error, settlements[0].message ?? error.rawValue, details: details)
            answer = Answer(status: apiError.status, body: apiError.body)
        } else {
            answer = Answer(status: .ok, body: .object(["data": .array(entries)]))
        }
        let completion = idempotencyKey.map {
            IdempotencyCompletion(key: $0, responseStatus: Int(answer.status.code), responseBody: Data(answer.body.encoded()), expiresAt: settledAt.addingTimeInterval(Self.idempotencyTTL))
        }
        try await store.complete(settlements.map { $0.completion(at: settledAt) }, idempotency: completion)
        let elapsed = ContinuousClock.now - started
        for settlement in settlements { metrics.message(status: settlement.status.rawValue, errorCode: settlement.error?.rawValue, duration: elapsed) }
        return answer
    }
}

/// How one recipient's dispatch result is stored and shown.
private struct Settlement {
    var id: String
    var status: MessageStatus
    var route: String?
    var account: Account?
    var providerMessageId: String?
    var error: APIError.Code?
    var message: String?
    var providerCode: String?

    /// Refused before any provider call.
    init(id: String, blocked: APIError.Code, message: String?) {
        self.id = id
        status = .failed
        error = blocked
        self.message = message
    }

    init(_ result: Dispatcher.Result, id: String) {
        self.id = id
        route = result.route
        switch result.outcome {
        case .planned(.accepted(let account, let providerId, let providerStatus)):
            status = providerStatus == "sent" ? .sent : .accepted
            self.account = account
            providerMessageId = providerId
        case .planned(.rejected(let failure)):
            status = .failed
            error = switch failure.failureClass {
            case .invalidRecipient: .invalidRecipient
            case .needsTemplate: .needsTemplate
            default: .invalidContent
            }
            message = failure.message
            providerCode = failure.providerCode
        case .planned(.exhausted(let last, let reason)):
            status = .failed
            error = .providerError
            message = "every candidate failed (\(reason))" + (last.map { "; last: \($0.failureClass.rawValue): \($0.message)" } ?? "")
            providerCode = last?.providerCode
        case .planned(.noRoute(let reason)):
            status = .failed
            error = .noRouteAvailable
            message = reason
        case .planned(.held(let account, let failure)):
            status = .unknown
            self.account = account
            error = .statusUnknown
            message = "held: \(failure.message); the provider may have sent it, so it was not retried"
        case .unroutable(let routing):
            status = .failed
            error = routing == .noRouteMatches ? .noRouteAvailable : .invalidRequest
            message = routing.description
        }
    }

    func completion(at date: Date) -> MessageCompletion {
        MessageCompletion(
            messageId: id, status: status, route: route, account: account?.id, provider: account?.provider, providerMessageId: providerMessageId,
            errorCode: error?.rawValue, errorMessage: message, providerCode: providerCode, at: date)
    }

    func view(to recipient: PhoneNumber, attempts: [Attempt], createdAt: Date) -> JSONValue {
        var object: [String: JSONValue] = [
            "id": .string(id), "to": .string(recipient.e164), "status": .string(status.rawValue),
            "attempts": MessageView.attempts(attempts), "createdAt": .string(MessageView.timestamp(createdAt)),
        ]
        if let route { object["route"] = .string(route) }
        if let account {
            object["account"] = .string(account.id)
            object["provider"] = .string(account.provider)
        }
        if let providerMessageId { object["providerMessageId"] = .string(providerMessageId) }
        if let error {
            var detail: [String: JSONValue] = ["code": .string(error.rawValue), "message": .string(message ?? error.rawValue)]
            if let providerCode { detail["providerCode"] = .string(providerCode) }
            if error == .needsTemplate { detail["needsTemplate"] = true }
            object["error"] = .object(detail)
        }
        return .object(object)
    }
}

/// How a body is kept in the store.
private struct BodyRecord: Encodable {
    var text: String?
    var template: MessageBody.Template?
    init(_ body: MessageBody) {
        switch body {
        case .text(let text): self.text = text
        case .template(let template): self.template = template
        }
    }
}
