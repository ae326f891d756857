import Foundation
import GRDB
import SwitchboardCore

extension SQLiteMessageStore: WebhookStore {
    public func createWebhook(url: String, events: [String], secret: String, at: Date) async throws -> Webhook {
        let id = "wh_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        let record = WebhookRecord(id: id, url: url, events: JSONValue.stringList(events), secret: secret, createdAt: at)
        try await database.writer.write { db in try record.insert(db) }
        return Self.webhook(record)
    }

    public func webhooks() async throws -> [Webhook] {
        try await database.writer.read { db in
            try WebhookRecord.filter(WebhookRecord.Columns.deletedAt == nil).order(WebhookRecord.Columns.createdAt).fetchAll(db).map(Self.webhook)
        }
    }

    public func deleteWebhook(id: String) async throws -> Bool {
        try await database.writer.write { db in
            guard var record = try WebhookRecord.fetchOne(db, key: id), record.deletedAt == nil else { return false }
            record.deletedAt = Date()
            // The signing secret is not kept past the webhook (secure_delete overwrites the freed bytes).
            record.secret = ""
            try record.update(db)
            // Nothing more goes to a deleted endpoint.
            try WebhookDeliveryRecord.filter(WebhookDeliveryRecord.Columns.webhookId == id && WebhookDeliveryRecord.Columns.status == "pending")
                .updateAll(db, WebhookDeliveryRecord.Columns.status.set(to: "cancelled"), WebhookDeliveryRecord.Columns.nextAttemptAt.set(to: nil))
            return true
        }
    }

    public func deliveries(webhookId: String, limit: Int) async throws -> [WebhookDeliveryView]? {
        try await database.writer.read { db in
            guard let hook = try WebhookRecord.fetchOne(db, key: webhookId), hook.deletedAt == nil else { return nil }
            let rows = try WebhookDeliveryRecord.filter(WebhookDeliveryRecord.Columns.webhookId == webhookId)
                .order(WebhookDeliveryRecord.Columns.id.desc).limit(limit).fetchAll(db)
            return try rows.map { row in
                let attempts = try WebhookAttemptRecord.filter(WebhookAttemptRecord.Columns.deliveryId == row.id!).order(WebhookAttemptRecord.Columns.id).fetchAll(db)
                return WebhookDeliveryView(
                    id: row.id!, eventId: row.eventId, eventType: row.eventType, status: row.status,
                    attempts: attempts.map { .init(at: $0.at, statusCode: $0.statusCode, error: $0.error, durationMs: $0.durationMs) },
                    nextAttemptAt: row.nextAttemptAt, createdAt: row.createdAt)
            }
        }
    }

    public func dueDeliveries(now: Date, limit: Int) async throws -> [DueDelivery] {
        try await database.writer.read { db in
            let rows = try WebhookDeliveryRecord
                .filter(WebhookDeliveryRecord.Columns.status == "pending" && WebhookDeliveryRecord.Columns.nextAttemptAt <= now)
                .order(WebhookDeliveryRecord.Columns.nextAttemptAt, WebhookDeliveryRecord.Columns.id).limit(limit).fetchAll(db)
            return try rows.compactMap { row in
                guard let hook = try WebhookRecord.fetchOne(db, key: row.webhookId), hook.deletedAt == nil, hook.disabledAt == nil else { return nil }
                return DueDelivery(id: row.id!, webhookId: hook.id, url: hook.url, secret: hook.secret, eventId: row.eventId, payload: row.payload, attemptsMade: row.attempts)
            }
        }
    }

    public func recordDeliveryAttempt(deliveryId: Int64, statusCode: Int?, error: String?, retryAfterSeconds: Int?, durationMs: Int, now: Date) async throws {
        try await database.writer.write { db in
            guard var delivery = try WebhookDeliveryRecord.fetchOne(db, key: deliveryId) else { return }
            try WebhookAttemptRecord(deliveryId: deliveryId, at: now, statusCode: statusCode, error: error, durationMs: durationMs).insert(db)
            delivery.attempts += 1
            switch WebhookAnswer.classify(status: statusCode, retryAfterSeconds: retryAfterSeconds) {
            case .delivered:
                delivery.status = "delivered"
                delivery.nextAttemptAt = nil
            case .disable:
                delivery.status = "disabled"
                delivery.nextAttemptAt = nil
                if var hook = try WebhookRecord.fetchOne(db, key: delivery.webhookId) {
                    hook.disabledAt = now
                    try hook.update(db)
                }
            case .retry(let retryAfter):
                if let delay = WebhookRetrySchedule.delayAfter(attemptsMade: delivery.attempts, retryAfterSeconds: retryAfter) {
                    delivery.nextAttemptAt = now.addingTimeInterval(TimeInterval(delay))
                } else {
                    delivery.status = "failed"
                    delivery.nextAttemptAt = nil
                }
            }
            try delivery.update(db)
        }
    }

    static func webhook(_ record: WebhookRecord) -> Webhook {
        Webhook(
            id: record.id, url: record.url, events: JSONValue.stringList(parsing: record.events) ?? [],
            secret: record.secret, createdAt: record.createdAt, disabledAt: record.disabledAt)
    }
}
