import Foundation
import PostgresNIO
import SwitchboardCore

extension PostgresGatewayStore {
    /// Writes a message's outcome and what follows from it, as SQLite's `SendPathWrites.settle` does. Only the
    /// instance that sent it settles it: one whose lease lapsed may find its claim requeued and taken by another, and
    /// then its late outcome is dropped. False if the message is not this instance's (or does not exist).
    @discardableResult
    func settle(_ completion: MessageCompletion, on connection: PostgresConnection) async throws -> Bool {
        let updated = try await rows(
            """
            UPDATE message SET status = \(completion.status.rawValue), route = \(completion.route),
              account = \(completion.account), provider = \(completion.provider),
              provider_message_id = \(completion.providerMessageId), error_code = \(completion.errorCode?.rawValue),
              error_message = \(completion.errorMessage), provider_code = \(completion.providerCode),
              updated_at = \(completion.at)
            WHERE id = \(completion.messageId) AND owner = \(instanceId)
            RETURNING recipient, kind, body
            """, on: connection)
        guard let row = updated.first else { return false }
        try await appendStatus(
            completion.messageId, status: completion.status.rawValue, source: "gateway", at: completion.at,
            on: connection)
        let recipient = try row[0].decode(String.self)
        switch completion.status {
        case .accepted, .sent:
            guard let account = completion.account, let provider = completion.provider else { return true }
            let kind = try row[1].decode(String.self)
            let body = SendPathWrites.bodyText(try row[2].decode(String.self))
            try await execute(
                """
                INSERT INTO conversation_message (id, customer, account, provider, direction, kind, body, message_id,
                  provider_message_id, at)
                VALUES (\(completion.messageId), \(recipient), \(account), \(provider), 'out', \(kind), \(body),
                  \(completion.messageId), \(completion.providerMessageId), \(completion.at))
                ON CONFLICT (id) DO NOTHING
                """, on: connection)
            try await execute(
                """
                INSERT INTO customer (phone, opted_out, last_message_at, last_direction)
                VALUES (\(recipient), false, \(completion.at), 'out')
                ON CONFLICT (phone) DO UPDATE SET last_message_at = EXCLUDED.last_message_at, last_direction = 'out'
                """, on: connection)
        case .failed:
            try await enqueueEvent(
                .messageFailed,
                data: [
                    "messageId": completion.messageId, "to": "+" + recipient, "status": completion.status.rawValue,
                    "account": completion.account, "provider": completion.provider,
                    "errorCode": completion.errorCode?.rawValue,
                    "errorMessage": completion.errorMessage, "providerCode": completion.providerCode,
                ], at: completion.at, on: connection)
        default:
            break
        }
        return true
    }

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
