import Foundation
import SwitchboardCore
import SwitchboardStore

/// The JSON shape of a message, as POST /v1/messages and GET /v1/messages answer it.
struct MessageView: Sendable {
    static func attempts(_ attempts: [Attempt]) -> JSONValue {
        .array(attempts.map { attempt in
            var entry: [String: JSONValue] = [
                "account": .string(attempt.account), "provider": .string(attempt.provider),
                "outcome": .string(attempt.outcome == .accepted ? "accepted" : "failed"),
                "durationMs": .int(attempt.durationMs), "decision": .string(attempt.decision.text),
            ]
            if case .failed(let failureClass) = attempt.outcome { entry["errorCode"] = .string(failureClass.rawValue) }
            if let code = attempt.providerCode { entry["providerCode"] = .string(code) }
            if let message = attempt.message, attempt.outcome != .accepted { entry["message"] = .string(message) }
            return .object(entry)
        })
    }

    static func render(_ message: StoredMessage, withHistory: Bool = false) -> JSONValue {
        var object: [String: JSONValue] = [
            "id": .string(message.id), "to": .string("+" + message.recipient), "status": .string(message.status.rawValue),
            "kind": .string(message.kind.rawValue), "attempts": attempts(message.attempts),
            "createdAt": .string(timestamp(message.createdAt)), "updatedAt": .string(timestamp(message.updatedAt)),
        ]
        for (key, value) in [("route", message.route), ("account", message.account), ("provider", message.provider),
                             ("providerMessageId", message.providerMessageId), ("ref", message.ref), ("ref1", message.ref1), ("ref2", message.ref2)] {
            if let value { object[key] = .string(value) }
        }
        if let code = message.errorCode {
            var error = errorExtras(code: code, providerCode: message.providerCode)
            error["code"] = .string(code)
            error["message"] = .string(message.errorMessage ?? code)
            object["error"] = .object(error)
        }
        if withHistory {
            object["history"] = .array(message.history.map { .object(["status": .string($0.status), "source": .string($0.source), "at": .string(timestamp($0.at))]) })
        }
        return .object(object)
    }

    /// What an error carries beyond its code and message: the provider's code, and the needsTemplate flag apps branch on.
    static func errorExtras(code: String, providerCode: String?) -> [String: JSONValue] {
        var extras: [String: JSONValue] = [:]
        if let providerCode { extras["providerCode"] = .string(providerCode) }
        if code == APIError.Code.needsTemplate.rawValue { extras["needsTemplate"] = true }
        return extras
    }

    /// What a send's answer repeats from its request on every entry, as a lookup shows it: the kind and the refs.
    static func echo(of request: SendMessageRequest) -> [String: JSONValue] {
        var fields: [String: JSONValue] = ["kind": .string(request.body.kind.rawValue)]
        for (key, value) in [("ref", request.ref), ("ref1", request.ref1), ("ref2", request.ref2)] {
            if let value { fields[key] = .string(value) }
        }
        return fields
    }

    static func timestamp(_ date: Date) -> String { Timestamp.iso8601(date) }
}
