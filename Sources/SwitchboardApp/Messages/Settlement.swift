import Foundation
import SwitchboardCore
import SwitchboardDispatch
import SwitchboardStore

/// How one recipient's dispatch result is stored and shown.
struct Settlement: Sendable {
    var id: String
    var status: MessageStatus
    var route: String?
    var account: Account?
    var providerMessageId: String?
    var error: MessageError?
    var message: String?
    var providerCode: String?

    /// Refused before any provider call.
    init(id: String, blocked: MessageError, message: String?) {
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
            message = reason.description
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

    /// The error code the message is stored (and counted) with.
    var errorCode: String? { error?.rawValue }

    func completion(at date: Date) -> MessageCompletion {
        MessageCompletion(
            messageId: id, status: status, route: route, account: account?.id, provider: account?.provider, providerMessageId: providerMessageId,
            errorCode: error, errorMessage: message, providerCode: providerCode, at: date)
    }

    /// The answer's entry for this message; `echo` holds what it repeats from the request (`MessageView.echo`).
    func view(to recipient: PhoneNumber, attempts: [Attempt], createdAt: Date, echo: [String: JSONValue]) -> JSONValue {
        var object: [String: JSONValue] = echo.merging([
            "id": .string(id), "to": .string(recipient.e164), "status": .string(status.rawValue),
            "attempts": MessageView.attempts(attempts), "createdAt": .string(MessageView.timestamp(createdAt)),
        ]) { _, own in own }
        if let route { object["route"] = .string(route) }
        if let account {
            object["account"] = .string(account.id)
            object["provider"] = .string(account.provider)
        }
        if let providerMessageId { object["providerMessageId"] = .string(providerMessageId) }
        if let error {
            var detail = MessageView.errorExtras(code: error.rawValue, providerCode: providerCode)
            detail["code"] = .string(error.rawValue)
            detail["message"] = .string(message ?? error.rawValue)
            object["error"] = .object(detail)
        }
        return .object(object)
    }
}

