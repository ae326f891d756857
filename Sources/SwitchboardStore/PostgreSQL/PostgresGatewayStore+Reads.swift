import Foundation
import PostgresNIO
import SwitchboardCore

extension PostgresGatewayStore {
    static let messageColumns = """
        id, recipient, kind, body, status, route, account, provider, provider_message_id, error_code, error_message,
        provider_code, ref, ref1, ref2, created_at, updated_at
        """

    public func message(id: String) async throws -> StoredMessage? {
        let found = try await rows("SELECT \(unescaped: Self.messageColumns) FROM message WHERE id = \(id)")
        return try await assemble(found).first
    }

    public func messages(_ query: MessageQuery) async throws -> [StoredMessage] {
        let found = try await rows(
            """
            SELECT \(unescaped: Self.messageColumns) FROM message
            WHERE (\(query.to)::text IS NULL OR recipient = \(query.to))
              AND (\(query.status?.rawValue)::text IS NULL OR status = \(query.status?.rawValue))
            ORDER BY created_at DESC, id DESC LIMIT \(query.limit)
            """)
        return try await assemble(found)
    }

    /// Messages with their attempts and history, read in two more queries however many messages there are.
    private func assemble(_ found: [PostgresRandomAccessRow]) async throws -> [StoredMessage] {
        var messages: [StoredMessage] = []
        var skipped = 0
        for row in found {
            if let message = try? Self.storedMessage(row) { messages.append(message) } else { skipped += 1 }
        }
        if skipped > 0 { logUnreadable("message", count: skipped) }
        guard !messages.isEmpty else { return [] }
        let ids = messages.map(\.id)
        var attempts: [String: [Attempt]] = [:]
        for row in try await rows(
            """
            SELECT message_id, account, provider, outcome, provider_code, message, provider_message_id, duration_ms,
              decision
            FROM attempt WHERE message_id = ANY(\(ids)) ORDER BY id
            """)
        {
            // An attempt whose stored words no longer parse is left out, like any row that cannot be read.
            guard let outcome = Attempt.Outcome(text: try row[3].decode(String.self)),
                let decision = Attempt.Decision(text: try row[8].decode(String.self))
            else { continue }
            attempts[try row[0].decode(String.self), default: []].append(
                Attempt(
                    account: try row[1].decode(String.self), provider: try row[2].decode(String.self), outcome: outcome,
                    providerCode: try row[4].decode(String?.self), message: try row[5].decode(String?.self),
                    providerMessageId: try row[6].decode(String?.self), durationMs: try row[7].decode(Int.self),
                    decision: decision))
        }
        var history: [String: [StatusEvent]] = [:]
        for row in try await rows(
            """
            SELECT message_id, status, source, at FROM status_event WHERE message_id = ANY(\(ids)) ORDER BY id
            """)
        {
            history[try row[0].decode(String.self), default: []].append(
                StatusEvent(
                    status: try row[1].decode(String.self), source: try row[2].decode(String.self),
                    at: try row[3].decode(Date.self)))
        }
        for index in messages.indices {
            messages[index].attempts = attempts[messages[index].id] ?? []
            messages[index].history = history[messages[index].id] ?? []
        }
        return messages
    }

    private static func storedMessage(_ row: PostgresRandomAccessRow) throws -> StoredMessage {
        StoredMessage(
            id: try row[0].decode(String.self), recipient: try row[1].decode(String.self),
            kind: MessageKind(rawValue: try row[2].decode(String.self)) ?? .text, body: try row[3].decode(String.self),
            status: MessageStatus(rawValue: try row[4].decode(String.self)) ?? .unknown,
            route: try row[5].decode(String?.self),
            account: try row[6].decode(String?.self), provider: try row[7].decode(String?.self),
            providerMessageId: try row[8].decode(String?.self), errorCode: try row[9].decode(String?.self),
            errorMessage: try row[10].decode(String?.self), providerCode: try row[11].decode(String?.self),
            ref: try row[12].decode(String?.self), ref1: try row[13].decode(String?.self),
            ref2: try row[14].decode(String?.self),
            createdAt: try row[15].decode(Date.self), updatedAt: try row[16].decode(Date.self), attempts: [],
            history: [])
    }

    func logUnreadable(_ table: String, count: Int) {
        logger.error("skipped rows that could not be decoded", metadata: ["table": "\(table)", "count": "\(count)"])
    }
}
