import Foundation
import PostgresNIO
import SwitchboardCore

extension PostgresGatewayStore {
    /// Writes an app-facing event for every subscribed webhook, inside the caller's transaction.
    func enqueueEvent(
        _ type: WebhookEventType, data: [String: String?], at: Date, on connection: PostgresConnection
    ) async throws {
        let hooks = try await rows(
            "SELECT id, events FROM webhook WHERE deleted_at IS NULL AND disabled_at IS NULL", on: connection)
        var subscribed: [String] = []
        for hook in hooks {
            let events = JSONValue.stringList(parsing: try hook[1].decode(String.self)) ?? []
            if events.isEmpty || events.contains(type.rawValue) { subscribed.append(try hook[0].decode(String.self)) }
        }
        guard !subscribed.isEmpty else { return }
        let eventId = RecordID.make("evt_", at: at)
        let payload = Outbox.encode(id: eventId, type: type, data: data, at: at)
        try await execute(
            """
            INSERT INTO webhook_delivery (webhook_id, event_id, event_type, payload, status, attempts, next_attempt_at,
              created_at)
            SELECT hook, \(eventId), \(type.rawValue), \(payload), 'pending', 0, \(at), \(at)
            FROM unnest(\(subscribed)) AS hook
            """, on: connection)
    }
}
