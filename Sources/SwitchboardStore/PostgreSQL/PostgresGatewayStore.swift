import Foundation
import Logging
import PostgresNIO
import SwitchboardCore

/// `GatewayStore` on PostgreSQL, shared by several gateway instances. Work in flight (a message being sent, an
/// idempotency key in progress) carries the id of the instance doing it; an instance is alive while its lease in
/// `gateway_instance` is current (by the database's clock), and a survivor settles a dead one's work.
public struct PostgresGatewayStore: Sendable {
    let client: PostgresClient
    /// This instance; stamped on the messages it sends and the keys it claims.
    public let instanceId: String
    let logger: Logger
    /// How long one store operation may take, waiting for a connection included: the pool waits for the database
    /// without end, and a send must answer 503 `store_unavailable` instead.
    let operationTimeout: Duration

    /// The database did not answer within `operationTimeout`.
    public struct Timeout: Error, Sendable, Hashable {}

    public init(
        database: PostgresStoreDatabase, instanceId: String = UUID().uuidString,
        logger: Logger = Logger(label: "switchboard.store"), operationTimeout: Duration = .seconds(5)
    ) {
        self.client = database.client
        self.instanceId = instanceId
        self.logger = logger
        self.operationTimeout = operationTimeout
    }

    func transaction<Result: Sendable>(
        _ body: @escaping @Sendable (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        try await bounded { [client, logger] in
            do {
                return try await client.withTransaction(logger: logger) { connection in try await body(connection) }
            } catch let error as PostgresTransactionError {
                // The closure's own error (a decoding failure, say) says more than the wrapper.
                if let inner = error.closureError { throw inner }
                throw error
            }
        }
    }

    func rows(
        _ query: PostgresQuery, on connection: PostgresConnection? = nil
    ) async throws -> [PostgresRandomAccessRow] {
        if let connection {
            return try await connection.query(query, logger: logger).collect().map { $0.makeRandomAccess() }
        }
        return try await bounded { [client, logger] in
            try await client.query(query, logger: logger).collect().map { $0.makeRandomAccess() }
        }
    }

    /// Runs `body`, or throws `Timeout` once `operationTimeout` has passed (cancelling it).
    private func bounded<Result: Sendable>(_ body: @escaping @Sendable () async throws -> Result) async throws -> Result
    {
        try await withThrowingTaskGroup(of: Result.self) { [operationTimeout] group in
            group.addTask { try await body() }
            group.addTask {
                try await Task.sleep(for: operationTimeout)
                throw Timeout()
            }
            defer { group.cancelAll() }
            guard let first = try await group.next() else { throw CancellationError() }
            return first
        }
    }

    @discardableResult
    func execute(_ query: PostgresQuery, on connection: PostgresConnection? = nil) async throws -> Int {
        try await rows(query, on: connection).count
    }
}

extension PostgresGatewayStore: MessageStore {
    public func beginIdempotent(
        key: String, requestHash: String, messageIds: [String], now: Date
    ) async throws -> IdempotencyBegin {
        let ids = JSONValue.stringList(messageIds)
        return try await transaction { connection in
            // A key whose retention ended is taken over; any other existing key is left as it is.
            let claimed = try await rows(
                """
                INSERT INTO idempotency_key (key, request_hash, state, instance_id, message_ids, created_at)
                VALUES (\(key), \(requestHash), 'in_progress', \(instanceId), \(ids), \(now))
                ON CONFLICT (key) DO UPDATE SET request_hash = EXCLUDED.request_hash, state = 'in_progress',
                  instance_id = EXCLUDED.instance_id, message_ids = EXCLUDED.message_ids, response_status = NULL,
                  response_body = NULL, created_at = EXCLUDED.created_at, expires_at = NULL
                WHERE idempotency_key.expires_at IS NOT NULL AND idempotency_key.expires_at <= \(now)
                RETURNING key
                """, on: connection)
            if !claimed.isEmpty { return .claimed }
            let existing = try await rows(
                """
                SELECT k.request_hash, k.state, k.instance_id, k.message_ids, k.response_status, k.response_body,
                  COALESCE(i.lease_until > clock_timestamp(), false)
                FROM idempotency_key k LEFT JOIN gateway_instance i ON i.id = k.instance_id
                WHERE k.key = \(key) FOR UPDATE OF k
                """, on: connection)
            guard let row = existing.first else { return .inProgress }
            guard try row[0].decode(String.self) == requestHash else { return .mismatch }
            if try row[1].decode(String.self) == "completed",
                let status = try row[4].decode(Int?.self), let body = try row[5].decode(Data?.self)
            {
                return .completed(status: status, body: body)
            }
            // Another live instance is still sending it: a concurrent duplicate.
            if try row[2].decode(String.self) == instanceId || row[6].decode(Bool.self) { return .inProgress }
            return .interrupted(messageIds: JSONValue.stringList(parsing: try row[3].decode(String.self)) ?? [])
        }
    }

    public func insert(_ messages: [NewMessage]) async throws {
        guard !messages.isEmpty else { return }
        _ = try await insert(messages, readingStatesOf: [])
    }

    func appendStatus(
        _ messageId: String, status: String, source: String, at: Date, on connection: PostgresConnection
    ) async throws {
        try await execute(
            """
            INSERT INTO status_event (message_id, status, source, at) VALUES (\(messageId), \(status), \(source), \(at))
            """, on: connection)
    }

    public func record(_ attempts: [NewAttempt]) async throws {
        try await insertAttempts(attempts)
    }

    /// One statement settles every completion with the attempts and the key; failures also write their
    /// `message.failed` events, in a transaction with it.
    public func complete(
        _ completions: [MessageCompletion], attempts: [NewAttempt], idempotency: IdempotencyCompletion?
    ) async throws {
        let failed = completions.filter { $0.status == .failed }
        guard !failed.isEmpty else {
            try await settle(completions, attempts: attempts, idempotency: idempotency, on: nil)
            return
        }
        try await transaction { connection in
            let recipients = try await settle(completions, attempts: attempts, idempotency: idempotency, on: connection)
            for completion in failed {
                guard let recipient = recipients[completion.messageId] else { continue }
                try await enqueueEvent(
                    .messageFailed,
                    data: [
                        "messageId": completion.messageId, "to": "+" + recipient, "status": completion.status.rawValue,
                        "account": completion.account, "provider": completion.provider,
                        "errorCode": completion.errorCode?.rawValue, "errorMessage": completion.errorMessage,
                        "providerCode": completion.providerCode,
                    ], at: completion.at, on: connection)
            }
        }
    }

    public func releaseIdempotency(key: String) async throws {
        try await execute("DELETE FROM idempotency_key WHERE key = \(key) RETURNING key")
    }

    public func purgeIdempotency(now: Date) async throws -> Int {
        try await execute("DELETE FROM idempotency_key WHERE expires_at < \(now) RETURNING key")
    }

    public func probeWrite() async throws {
        try await execute(
            """
            INSERT INTO inbound_event (key, received_at) VALUES ('store-probe', '2000-01-01T00:00:00Z')
            ON CONFLICT (key) DO NOTHING
            """)
        try await execute("DELETE FROM inbound_event WHERE key = 'store-probe'")
    }
}
