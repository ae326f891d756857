import Foundation
import PostgresNIO
import SwitchboardCore

extension PostgresGatewayStore: WebhookStore {
    /// How long a claimed delivery is kept from other instances: longer than a round of deliveries can take (a round
    /// of 64 at 8 at a time, 15 s each), so only a dead instance's claims come due again.
    static let deliveryClaimSeconds = 180.0

    public func createWebhook(url: String, events: [String], secret: String, at: Date) async throws -> Webhook {
        let id = "wh_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        try await execute(
            """
            INSERT INTO webhook (id, url, events, secret, created_at)
            VALUES (\(id), \(url), \(JSONValue.stringList(events)), \(secret), \(at))
            """)
        return Webhook(id: id, url: url, events: events, secret: secret, createdAt: at, disabledAt: nil)
    }

    public func webhooks() async throws -> [Webhook] {
        try await rows(
            """
            SELECT id, url, events, secret, created_at, disabled_at FROM webhook
            WHERE deleted_at IS NULL ORDER BY created_at
            """
        ).map { row in
            Webhook(
                id: try row[0].decode(String.self), url: try row[1].decode(String.self),
                events: JSONValue.stringList(parsing: try row[2].decode(String.self)) ?? [],
                secret: try row[3].decode(String.self),
                createdAt: try row[4].decode(Date.self), disabledAt: try row[5].decode(Date?.self))
        }
    }

    public func deleteWebhook(id: String) async throws -> Bool {
        try await transaction { connection in
            // The signing secret is not kept past the webhook.
            let deleted = try await execute(
                """
                UPDATE webhook SET deleted_at = now(), secret = '' WHERE id = \(id) AND deleted_at IS NULL RETURNING id
                """, on: connection)
            guard deleted == 1 else { return false }
            // Nothing more goes to a deleted endpoint.
            try await execute(
                """
                UPDATE webhook_delivery SET status = 'cancelled', next_attempt_at = NULL
                WHERE webhook_id = \(id) AND status = 'pending' RETURNING id
                """, on: connection)
            return true
        }
    }

    public func deliveries(webhookId: String, limit: Int) async throws -> [WebhookDeliveryView]? {
        guard try await execute("SELECT 1 FROM webhook WHERE id = \(webhookId) AND deleted_at IS NULL") == 1 else {
            return nil
        }
        var views = try await rows(
            """
            SELECT id, event_id, event_type, status, next_attempt_at, created_at FROM webhook_delivery
            WHERE webhook_id = \(webhookId) ORDER BY id DESC LIMIT \(limit)
            """
        ).map { row in
            WebhookDeliveryView(
                id: try row[0].decode(Int64.self), eventId: try row[1].decode(String.self),
                eventType: try row[2].decode(String.self),
                status: try row[3].decode(String.self), attempts: [], nextAttemptAt: try row[4].decode(Date?.self),
                createdAt: try row[5].decode(Date.self))
        }
        let ids = views.map(\.id)
        var attempts: [Int64: [WebhookDeliveryView.AttemptView]] = [:]
        for row in try await rows(
            """
            SELECT delivery_id, at, status_code, error, duration_ms FROM webhook_attempt
            WHERE delivery_id = ANY(\(ids)) ORDER BY id
            """)
        {
            attempts[try row[0].decode(Int64.self), default: []].append(
                .init(
                    at: try row[1].decode(Date.self), statusCode: try row[2].decode(Int?.self),
                    error: try row[3].decode(String?.self),
                    durationMs: try row[4].decode(Int.self)))
        }
        for index in views.indices { views[index].attempts = attempts[views[index].id] ?? [] }
        return views
    }

    /// Claims due deliveries with `FOR UPDATE SKIP LOCKED`, so each event goes out from one instance: a claim moves
    /// the delivery's next attempt past `deliveryClaimSeconds`, and recording the attempt sets the real one.
    public func dueDeliveries(now: Date, limit: Int) async throws -> [DueDelivery] {
        try await rows(
            """
            UPDATE webhook_delivery d SET next_attempt_at = \(now.addingTimeInterval(Self.deliveryClaimSeconds))
            FROM (SELECT d.id, w.url, w.secret FROM webhook_delivery d JOIN webhook w ON w.id = d.webhook_id
                  WHERE d.status = 'pending' AND d.next_attempt_at <= \(now)
                    AND w.deleted_at IS NULL AND w.disabled_at IS NULL
                  ORDER BY d.next_attempt_at, d.id LIMIT \(limit) FOR UPDATE OF d SKIP LOCKED) due
            WHERE d.id = due.id
            RETURNING d.id, d.webhook_id, due.url, due.secret, d.event_id, d.payload, d.attempts
            """
        ).map { row in
            DueDelivery(
                id: try row[0].decode(Int64.self), webhookId: try row[1].decode(String.self),
                url: try row[2].decode(String.self),
                secret: try row[3].decode(String.self), eventId: try row[4].decode(String.self),
                payload: try row[5].decode(Data.self),
                attemptsMade: try row[6].decode(Int.self))
        }.sorted { $0.id < $1.id }
    }

    public func recordDeliveryAttempt(
        deliveryId: Int64, statusCode: Int?, error: String?, retryAfterSeconds: Int?,
        durationMs: Int, now: Date
    ) async throws {
        try await transaction { connection in
            let found = try await rows(
                """
                SELECT webhook_id, attempts FROM webhook_delivery WHERE id = \(deliveryId) FOR UPDATE
                """, on: connection)
            guard let row = found.first else { return }
            let webhookId = try row[0].decode(String.self)
            let attempts = try row[1].decode(Int.self) + 1
            try await execute(
                """
                INSERT INTO webhook_attempt (delivery_id, at, status_code, error, duration_ms)
                VALUES (\(deliveryId), \(now), \(statusCode), \(error), \(durationMs))
                """, on: connection)
            var status = "pending"
            var next: Date?
            switch WebhookAnswer.classify(status: statusCode, retryAfterSeconds: retryAfterSeconds) {
            case .delivered:
                status = "delivered"
            case .disable:
                status = "disabled"
                try await execute("UPDATE webhook SET disabled_at = \(now) WHERE id = \(webhookId)", on: connection)
            case .retry(let retryAfter):
                if let delay = WebhookRetrySchedule.delayAfter(attemptsMade: attempts, retryAfterSeconds: retryAfter) {
                    next = now.addingTimeInterval(TimeInterval(delay))
                } else {
                    status = "failed"
                }
            }
            try await execute(
                """
                UPDATE webhook_delivery SET attempts = \(attempts), status = \(status), next_attempt_at = \(next)
                WHERE id = \(deliveryId)
                """, on: connection)
        }
    }
}
