import Foundation
import PostgresNIO
import SwitchboardCore

/// A claim this instance held was taken back by a survivor while its lease had lapsed: the messages are not sent.
public struct LeaseLost: Error, Sendable, Hashable {
    public var messageIds: [String]
}

extension PostgresGatewayStore: QueueStore {
    /// The channel queued sends are announced on, so idle workers on every instance wake at once.
    public static let queueChannel = "switchboard_queue"

    /// One statement for a request's messages (they differ only in id and recipient), announced at commit; messages
    /// that differ in more are written one by one in a transaction.
    public func enqueue(_ messages: [QueuedMessage]) async throws {
        guard let first = messages.first else { return }
        let shared = { (queued: QueuedMessage) in
            queued.message.sharesContent(with: first.message) && queued.from == first.from
                && queued.route == first.route && queued.expiresAt == first.expiresAt
        }
        if messages.allSatisfy(shared) {
            try await execute(enqueueing(messages.map(\.message.id), messages.map(\.message.recipient), like: first))
            return
        }
        try await transaction { connection in
            for queued in messages {
                try await execute(enqueueing([queued.message.id], [queued.message.recipient], like: queued), on: connection)
            }
        }
    }

    private func enqueueing(_ ids: [String], _ recipients: [String], like queued: QueuedMessage) -> PostgresQuery {
        let message = queued.message
        let at = message.createdAt
        return """
            WITH m AS (
              INSERT INTO message (id, recipient, kind, body, status, ref, ref1, ref2, created_at, updated_at,
                pin_from, pin_route, not_before, expires_at, queue_attempts)
              SELECT id, recipient, \(message.kind.rawValue), \(message.body), 'queued', \(message.ref), \(message.ref1),
                \(message.ref2), \(at), \(at), \(queued.from), \(queued.route), \(at), \(queued.expiresAt), 0
              FROM unnest(\(ids)::text[], \(recipients)::text[]) AS t(id, recipient)
              RETURNING id),
            s AS (INSERT INTO status_event (message_id, status, source, at) SELECT id, 'queued', 'gateway', \(at) FROM m)
            SELECT pg_notify(\(Self.queueChannel), '')
            """
    }

    /// Claims with `FOR UPDATE SKIP LOCKED`, so instances claiming at once take disjoint batches without waiting on
    /// each other; each claimed message carries this instance's id.
    public func claimDue(now: Date, limit: Int) async throws -> [ClaimedMessage] {
        let found = try await rows(
            """
            UPDATE message SET status = 'sending', owner = \(instanceId), updated_at = \(now)
            FROM (SELECT id FROM message WHERE status = 'queued' AND not_before <= \(now)
                  ORDER BY not_before LIMIT \(limit) FOR UPDATE SKIP LOCKED) due
            WHERE message.id = due.id
            RETURNING message.id, recipient, kind, body, ref, ref1, ref2, pin_from, pin_route, expires_at,
              queue_attempts,
              created_at
            """)
        var claimed: [ClaimedMessage] = []
        for row in found {
            claimed.append(
                ClaimedMessage(
                    id: try row[0].decode(String.self), recipient: try row[1].decode(String.self),
                    kind: MessageKind(rawValue: try row[2].decode(String.self)) ?? .text,
                    body: try row[3].decode(String.self),
                    ref: try row[4].decode(String?.self), ref1: try row[5].decode(String?.self),
                    ref2: try row[6].decode(String?.self),
                    from: try row[7].decode(String?.self), route: try row[8].decode(String?.self),
                    expiresAt: try row[9].decode(Date.self), queueAttempts: try row[10].decode(Int.self),
                    createdAt: try row[11].decode(Date.self)))
        }
        return claimed.sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
    }

    /// Marks only messages this instance still holds, and only if it holds them all: if a survivor took any back,
    /// none of them is sent. One statement.
    public func markDispatchStarted(_ ids: [String], at: Date) async throws {
        guard !ids.isEmpty else { return }
        let marked = try await rows(
            """
            WITH held AS (
              SELECT id FROM message WHERE id = ANY(\(ids)::text[]) AND owner = \(instanceId) AND status = 'sending'
              FOR UPDATE),
            u AS (
              UPDATE message SET dispatch_started_at = \(at)
              WHERE id IN (SELECT id FROM held) AND (SELECT count(*) FROM held) = \(ids.count) RETURNING id)
            SELECT count(*)::bigint FROM u
            """)
        guard try marked.first?[0].decode(Int.self) == ids.count else { throw LeaseLost(messageIds: ids) }
    }

    public func markDispatchWaiting(_ ids: [String]) async throws {
        guard !ids.isEmpty else { return }
        try await execute(
            """
            UPDATE message SET dispatch_started_at = NULL WHERE id = ANY(\(ids)) AND owner = \(instanceId) RETURNING id
            """)
    }

    public func reschedule(_ items: [(id: String, notBefore: Date, countsAsAttempt: Bool)]) async throws {
        guard !items.isEmpty else { return }
        let now = Date()
        try await transaction { connection in
            for item in items {
                try await execute(
                    """
                    UPDATE message SET status = 'queued', not_before = \(item.notBefore), dispatch_started_at = NULL,
                      owner = NULL, updated_at = \(now),
                      queue_attempts = queue_attempts + \(item.countsAsAttempt ? 1 : 0)
                    WHERE id = \(item.id) AND owner = \(instanceId) RETURNING id
                    """, on: connection)
            }
        }
    }

    public func queuedCount() async throws -> Int {
        try await rows("SELECT count(*)::bigint FROM message WHERE status = 'queued'").first?[0].decode(Int.self) ?? 0
    }

    public func nextQueuedDueDate() async throws -> Date? {
        try await rows("SELECT min(not_before) FROM message WHERE status = 'queued'").first?[0].decode(Date?.self)
    }
}
