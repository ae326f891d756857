import Foundation
import PostgresNIO

/// Account holds shared by the instances on one store, in wall-clock time.
public protocol SharedHealthStore: Sendable {
    /// Publishes holds; a hold already stored for longer is kept (the later end wins).
    func publishHolds(_ holds: [String: (openUntil: Date?, retryAfterUntil: Date?)]) async throws
    /// The holds still in force at `now`.
    func currentHolds(now: Date) async throws -> [String: (openUntil: Date?, retryAfterUntil: Date?)]
}

extension PostgresGatewayStore: SharedHealthStore {
    public func publishHolds(_ holds: [String: (openUntil: Date?, retryAfterUntil: Date?)]) async throws {
        guard !holds.isEmpty else { return }
        try await transaction { connection in
            for (account, hold) in holds.sorted(by: { $0.key < $1.key }) {
                try await execute(
                    """
                    INSERT INTO account_health (account, open_until, retry_after_until, updated_at)
                    VALUES (\(account), \(hold.openUntil), \(hold.retryAfterUntil), now())
                    ON CONFLICT (account) DO UPDATE SET
                      open_until = GREATEST(account_health.open_until, EXCLUDED.open_until),
                      retry_after_until = GREATEST(account_health.retry_after_until, EXCLUDED.retry_after_until),
                      updated_at = now()
                    """, on: connection)
            }
        }
    }

    public func currentHolds(now: Date) async throws -> [String: (openUntil: Date?, retryAfterUntil: Date?)] {
        var holds: [String: (openUntil: Date?, retryAfterUntil: Date?)] = [:]
        for row in try await rows(
            """
            SELECT account, open_until, retry_after_until FROM account_health
            WHERE open_until > \(now) OR retry_after_until > \(now)
            """)
        {
            let openUntil = try row[1].decode(Date?.self)
            let retryAfterUntil = try row[2].decode(Date?.self)
            holds[try row[0].decode(String.self)] = (
                openUntil.flatMap { $0 > now ? $0 : nil },
                retryAfterUntil.flatMap { $0 > now ? $0 : nil }
            )
        }
        return holds
    }
}
