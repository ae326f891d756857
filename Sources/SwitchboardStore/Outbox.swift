import Foundation
import GRDB
import SwitchboardCore

/// Writes an app-facing event for every subscribed webhook, inside the caller's transaction.
enum Outbox {
    static func enqueue(_ db: Database, type: WebhookEventType, data: [String: String?], at: Date) throws {
        let hooks = try WebhookRecord.filter(WebhookRecord.Columns.deletedAt == nil && WebhookRecord.Columns.disabledAt == nil).fetchAll(db)
        let subscribed = hooks.filter { hook in
            let events = JSONValue.stringList(parsing: hook.events) ?? []
            return events.isEmpty || events.contains(type.rawValue)
        }
        guard !subscribed.isEmpty else { return }
        let eventId = RecordID.make("evt_", at: at)
        let payload = encode(id: eventId, type: type, data: data, at: at)
        for hook in subscribed {
            var delivery = WebhookDeliveryRecord(
                webhookId: hook.id, eventId: eventId, eventType: type.rawValue, payload: payload, status: "pending",
                attempts: 0, nextAttemptAt: at, createdAt: at)
            try delivery.insert(db)
        }
    }

    /// `{id, type, created_at, data}`, keys sorted so the signed bytes are stable.
    static func encode(id: String, type: WebhookEventType, data: [String: String?], at: Date) -> Data {
        var body: [String: JSONValue] = [:]
        for (key, value) in data { if let value { body[key] = .string(value) } }
        let event: JSONValue = .object([
            "id": .string(id), "type": .string(type.rawValue), "created_at": .string(Timestamp.iso8601(at)),
            "data": .object(body),
        ])
        return Data(event.encoded())
    }
}
