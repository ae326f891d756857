import Foundation
import Hummingbird
import SwitchboardCore
import SwitchboardStore

/// GET /v1/conversations and GET /v1/conversations/{phone}/messages.
struct ConversationsController<Store: GatewayStore>: Sendable {
    let store: Store
    var wallClock: WallClock = .system

    func addRoutes(to group: RouterGroup<BasicRequestContext>) {
        group.get("conversations") { request, _ in
            let limit = try Self.limit(request)
            let summaries = try await store.conversations(limit: limit, now: wallClock.now())
            return JSONResponse.data(.array(summaries.map { summary in
                var window: [String: JSONValue] = ["open": .bool(!summary.openWindows.isEmpty)]
                if let first = summary.openWindows.first {
                    window["account"] = .string(first.account)
                    window["until"] = .string(MessageView.timestamp(first.until))
                }
                return .object([
                    "phone": .string("+" + summary.customer), "lastMessageAt": .string(MessageView.timestamp(summary.lastMessageAt)),
                    "lastDirection": .string(summary.lastDirection), "optedOut": .bool(summary.optedOut), "window": .object(window),
                    "openWindows": .array(summary.openWindows.map { .object(["account": .string($0.account), "until": .string(MessageView.timestamp($0.until))]) }),
                ])
            }))
        }
        group.get("conversations/:phone/messages") { request, context in
            let phone: String
            // A `+` may come percent-encoded in a path.
            let raw = context.parameters.get("phone") ?? ""
            do { phone = try PhoneNumber(raw.removingPercentEncoding ?? raw).digits } catch { throw APIError(.invalidRecipient, "\(error)") }
            let entries = try await store.thread(customer: phone, limit: try Self.limit(request))
            return JSONResponse.data(.array(entries.map { entry in
                var object: [String: JSONValue] = [
                    "id": .string(entry.id), "direction": .string(entry.direction), "account": .string(entry.account),
                    "provider": .string(entry.provider), "kind": .string(entry.kind), "at": .string(MessageView.timestamp(entry.at)),
                ]
                if let body = entry.body { object["text"] = .string(body) }
                if let messageId = entry.messageId { object["messageId"] = .string(messageId) }
                if let status = entry.status { object["status"] = .string(status) }
                return .object(object)
            }))
        }
    }

    static func limit(_ request: Request) throws -> Int {
        guard let raw = request.uri.queryParameters.get("limit") else { return 50 }
        guard let value = Int(raw), (1...200).contains(value) else { throw APIError(.invalidRequest, "limit must be 1 to 200") }
        return value
    }
}
