import Foundation
import PostgresNIO
import SwitchboardCore

/// A store several gateway instances share: each holds a lease it renews while it runs, and any of them settles the
/// work of one whose lease lapsed (`recoverInterrupted`).
public protocol InstanceLeaseStore: Sendable {
    /// Registers this instance, or renews its lease, until `seconds` from now by the database's clock.
    func renewLease(seconds: Double) async throws
    /// Ends this instance's lease at a clean stop.
    func endLease() async throws
}

extension PostgresGatewayStore: InstanceLeaseStore {
    public func renewLease(seconds: Double) async throws {
        try await execute(Self.renewal(instanceId: instanceId, seconds: seconds))
    }

    static func renewal(instanceId: String, seconds: Double) -> PostgresQuery {
        """
        INSERT INTO gateway_instance (id, started_at, lease_until)
        VALUES (\(instanceId), now(), now() + make_interval(secs => \(seconds)))
        ON CONFLICT (id) DO UPDATE SET lease_until = EXCLUDED.lease_until RETURNING id
        """
    }

    public func endLease() async throws {
        try await execute("DELETE FROM gateway_instance WHERE id = \(instanceId) RETURNING id")
    }

    /// Messages another instance was sending when its lease lapsed, settled as SQLite settles a crashed boot's:
    /// queued ones never handed to a provider go back to the queue, synchronous ones that never left fail as
    /// `interrupted` (their key is released), and the rest, which may have left, become `unknown`. Instances
    /// recovering at once take disjoint rows (each update re-checks the row it locks).
    public func recoverInterrupted(now: Date) async throws -> Recovery {
        let orphaned = """
            status = 'sending' AND owner IS DISTINCT FROM $1 AND NOT EXISTS (
              SELECT 1 FROM gateway_instance i WHERE i.id = message.owner AND i.lease_until > now())
            """
        return try await transaction { connection in
            var recovery = Recovery()
            recovery.requeued = try await execute(
                PostgresQuery(
                    unsafeSQL: """
                        UPDATE message SET status = 'queued', owner = NULL, updated_at = $2
                        WHERE \(orphaned) AND expires_at IS NOT NULL AND dispatch_started_at IS NULL RETURNING id
                        """, binds: try Self.binds(instanceId, now)), on: connection)
            let interrupted = try await rows(
                PostgresQuery(
                    unsafeSQL: """
                        UPDATE message SET status = 'failed', error_code = $3, updated_at = $2,
                          error_message = 'the gateway stopped before this message reached a provider; it was not sent'
                        WHERE \(orphaned) AND expires_at IS NULL AND dispatch_started_at IS NULL RETURNING id
                        """, binds: try Self.binds(instanceId, now, MessageError.interrupted.rawValue)), on: connection
            )
            .map { try $0[0].decode(String.self) }
            for id in interrupted {
                try await appendStatus(
                    id, status: MessageStatus.failed.rawValue, source: "recovery", at: now, on: connection)
            }
            recovery.interrupted = interrupted.count
            try await releaseKeys(ofMessages: Set(interrupted), on: connection)
            let unknown = try await rows(
                PostgresQuery(
                    unsafeSQL: """
                        UPDATE message SET status = 'unknown', error_code = $3, updated_at = $2,
                          error_message =
                            'the gateway stopped while this message was being sent; it may have reached the provider'
                        WHERE \(orphaned) RETURNING id
                        """, binds: try Self.binds(instanceId, now, MessageError.statusUnknown.rawValue)),
                on: connection
            )
            .map { try $0[0].decode(String.self) }
            for id in unknown {
                try await appendStatus(
                    id, status: MessageStatus.unknown.rawValue, source: "recovery", at: now, on: connection)
            }
            recovery.unknown = unknown.count
            // A lapsed instance with nothing left in flight is forgotten; its keys in progress stay interrupted.
            try await execute(
                """
                DELETE FROM gateway_instance i WHERE i.lease_until < now() AND i.id <> \(instanceId)
                  AND NOT EXISTS (SELECT 1 FROM message m WHERE m.owner = i.id AND m.status = 'sending') RETURNING id
                """, on: connection)
            return recovery
        }
    }

    /// Deletes the keys in progress under a dead instance whose every message is in `ids`: they sent nothing.
    private func releaseKeys(ofMessages ids: Set<String>, on connection: PostgresConnection) async throws {
        guard !ids.isEmpty else { return }
        let open = try await rows(
            """
            SELECT k.key, k.message_ids FROM idempotency_key k
            WHERE k.state = 'in_progress' AND k.instance_id <> \(instanceId) AND NOT EXISTS (
              SELECT 1 FROM gateway_instance i WHERE i.id = k.instance_id AND i.lease_until > now())
            """, on: connection)
        for row in open {
            guard let messages = JSONValue.stringList(parsing: try row[1].decode(String.self)),
                !messages.isEmpty, messages.allSatisfy(ids.contains)
            else { continue }
            try await execute(
                "DELETE FROM idempotency_key WHERE key = \(try row[0].decode(String.self)) RETURNING key",
                on: connection)
        }
    }

    private static func binds(_ values: any PostgresEncodable...) throws -> PostgresBindings {
        var bindings = PostgresBindings()
        for value in values { try bindings.append(value) }
        return bindings
    }
}
