import Foundation
import PostgresNIO
import SwitchboardCore

/// The writes every send makes, each as one statement (data-modifying CTEs), so a synchronous send costs the
/// database two round trips, not a transaction of a dozen. A single statement is atomic on its own.
extension PostgresGatewayStore {
    /// Inserts a request's messages (as being sent by this instance, dispatch started) with their history entries,
    /// and reads the customers' conversation states, in one statement. Nil if the messages differ in more than id and
    /// recipient, which one request's never do; the caller then writes them one by one.
    func insertSending(
        _ messages: [NewMessage], readingStatesOf customers: [String], on connection: PostgresConnection? = nil
    ) async throws -> [String: CustomerState]? {
        guard let first = messages.first, messages.allSatisfy({ $0.sharesContent(with: first) }) else { return nil }
        let at = first.createdAt
        let found = try await rows(
            """
            WITH m AS (
              INSERT INTO message (id, recipient, kind, body, status, ref, ref1, ref2, created_at, updated_at,
                dispatch_started_at, owner)
              SELECT id, recipient, \(first.kind.rawValue), \(first.body), 'sending', \(first.ref), \(first.ref1),
                \(first.ref2), \(at), \(at), \(at), \(instanceId)
              FROM unnest(\(messages.map(\.id))::text[], \(messages.map(\.recipient))::text[]) AS t(id, recipient)
              RETURNING id),
            s AS (INSERT INTO status_event (message_id, status, source, at) SELECT id, 'sending', 'gateway', \(at) FROM m)
            SELECT phone, opted_out, NULL::text, NULL::timestamptz FROM customer WHERE phone = ANY(\(customers)::text[])
            UNION ALL
            SELECT customer, NULL::boolean, account, last_inbound_at FROM conversation_window
            WHERE customer = ANY(\(customers)::text[])
            """, on: connection)
        return try Self.states(found)
    }

    /// Opt-outs and windows from rows of (customer, opted_out?, account?, last_inbound_at?).
    static func states(_ found: [PostgresRandomAccessRow]) throws -> [String: CustomerState] {
        var states: [String: CustomerState] = [:]
        for row in found {
            let customer = try row[0].decode(String.self)
            if let optedOut = try row[1].decode(Bool?.self) { states[customer, default: CustomerState()].optedOut = optedOut }
            if let account = try row[2].decode(String?.self), let at = try row[3].decode(Date?.self) {
                states[customer, default: CustomerState()].lastInbound[account] = at
            }
        }
        return states
    }

    /// Attempts as the JSON array `json_to_recordset` reads.
    static func attemptsJSON(_ attempts: [NewAttempt]) -> String {
        let rows: [JSONValue] = attempts.map { entry in
            let attempt = entry.attempt
            var row: [String: JSONValue] = [
                "message_id": .string(entry.messageId), "account": .string(attempt.account),
                "provider": .string(attempt.provider), "outcome": .string(attempt.outcome.text),
                "duration_ms": .int(attempt.durationMs), "decision": .string(attempt.decision.text),
                "at": .string(Timestamp.iso8601(entry.at)),
            ]
            if let code = attempt.providerCode { row["provider_code"] = .string(code) }
            if let message = attempt.message { row["message"] = .string(message) }
            if let id = attempt.providerMessageId { row["provider_message_id"] = .string(id) }
            return .object(row)
        }
        return String(decoding: JSONValue.array(rows).encoded(), as: UTF8.self)
    }

    static let attemptColumns =
        "message_id, account, provider, outcome, provider_code, message, provider_message_id, duration_ms, decision, at"
    /// The record type `json_to_recordset` reads attempts as.
    static let attemptRecord = """
        x(message_id text, account text, provider text, outcome text, provider_code text, message text,
          provider_message_id text, duration_ms integer, decision text, at timestamptz)
        """

    /// Appends attempts in one statement.
    func insertAttempts(_ attempts: [NewAttempt], on connection: PostgresConnection? = nil) async throws {
        guard !attempts.isEmpty else { return }
        try await execute(
            """
            INSERT INTO attempt (\(unescaped: Self.attemptColumns))
            SELECT \(unescaped: Self.attemptColumns)
            FROM json_to_recordset(\(Self.attemptsJSON(attempts))::json) AS \(unescaped: Self.attemptRecord)
            """, on: connection)
    }

    /// Completions as the JSON array `json_to_recordset` reads.
    static func completionsJSON(_ completions: [MessageCompletion]) -> String {
        let rows: [JSONValue] = completions.map { completion in
            var row: [String: JSONValue] = [
                "message_id": .string(completion.messageId), "status": .string(completion.status.rawValue),
                "at": .string(Timestamp.iso8601(completion.at)),
            ]
            let optional: [(String, String?)] = [
                ("route", completion.route), ("account", completion.account), ("provider", completion.provider),
                ("provider_message_id", completion.providerMessageId), ("error_code", completion.errorCode?.rawValue),
                ("error_message", completion.errorMessage), ("provider_code", completion.providerCode),
            ]
            for (key, value) in optional { if let value { row[key] = .string(value) } }
            return .object(row)
        }
        return String(decoding: JSONValue.array(rows).encoded(), as: UTF8.self)
    }

    /// Settles messages (outcome, history, and for those that left their conversation entry and customer), with
    /// `attempts` and the request's key, in one statement. Only the instance that sent a message settles it: one whose
    /// lease lapsed may find its claim requeued and taken by another, and then its late outcome is dropped. Returns
    /// the recipient of each message settled, by id.
    @discardableResult
    func settle(
        _ completions: [MessageCompletion], attempts: [NewAttempt], idempotency: IdempotencyCompletion?,
        on connection: PostgresConnection?
    ) async throws -> [String: String] {
        let settled = try await rows(
            """
            WITH a AS (
              INSERT INTO attempt (\(unescaped: Self.attemptColumns))
              SELECT \(unescaped: Self.attemptColumns)
              FROM json_to_recordset(\(Self.attemptsJSON(attempts))::json) AS \(unescaped: Self.attemptRecord)),
            d AS (
              SELECT * FROM json_to_recordset(\(Self.completionsJSON(completions))::json) AS d(message_id text,
                status text, route text, account text, provider text, provider_message_id text, error_code text,
                error_message text, provider_code text, at timestamptz)),
            u AS (
              UPDATE message m SET status = d.status, route = d.route, account = d.account, provider = d.provider,
                provider_message_id = d.provider_message_id, error_code = d.error_code, error_message = d.error_message,
                provider_code = d.provider_code, updated_at = d.at
              FROM d
              -- The ids again as an array: the planner cannot count json_to_recordset's rows, and without them it
              -- would join against the whole message table instead of looking each id up in its index.
              WHERE m.id = ANY(\(completions.map(\.messageId))::text[]) AND m.id = d.message_id
                AND m.owner = \(instanceId)
              RETURNING m.id, m.recipient, m.kind, m.body, d.status, d.account, d.provider, d.provider_message_id, d.at),
            e AS (INSERT INTO status_event (message_id, status, source, at) SELECT id, status, 'gateway', at FROM u),
            o AS (
              SELECT * FROM u
              WHERE status IN ('accepted', 'sent') AND account IS NOT NULL AND provider IS NOT NULL),
            c AS (
              INSERT INTO conversation_message (id, customer, account, provider, direction, kind, body, message_id,
                provider_message_id, at)
              SELECT id, recipient, account, provider, 'out', kind, body::json ->> 'text', id, provider_message_id, at
              FROM o ON CONFLICT (id) DO NOTHING),
            k AS (
              INSERT INTO customer (phone, opted_out, last_message_at, last_direction)
              SELECT DISTINCT ON (recipient) recipient, false, at, 'out' FROM o ORDER BY recipient, at DESC
              ON CONFLICT (phone) DO UPDATE SET last_message_at = EXCLUDED.last_message_at, last_direction = 'out'),
            i AS (
              UPDATE idempotency_key SET state = 'completed', response_status = \(idempotency?.responseStatus),
                response_body = \(idempotency?.responseBody), expires_at = \(idempotency?.expiresAt)
              WHERE key = \(idempotency?.key))
            SELECT id, recipient FROM u
            """, on: connection)
        var recipients: [String: String] = [:]
        for row in settled { recipients[try row[0].decode(String.self)] = try row[1].decode(String.self) }
        return recipients
    }
}

extension NewMessage {
    /// Whether `other` has the same content, refs and time, so the two can be written by one statement that varies
    /// only id and recipient (a request's messages always do).
    func sharesContent(with other: NewMessage) -> Bool {
        kind == other.kind && body == other.body && ref == other.ref && ref1 == other.ref1 && ref2 == other.ref2
            && createdAt == other.createdAt
    }
}
