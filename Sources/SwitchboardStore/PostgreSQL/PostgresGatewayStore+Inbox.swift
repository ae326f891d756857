import Foundation
import PostgresNIO
import SwitchboardCore

extension PostgresGatewayStore: InboxStore {
    public func applyStatus(_ report: StatusReport) async throws -> StatusUpdate {
        try await transaction { connection in
            guard try await claimEvent("status:\(report.provider):\(report.eventKey)", at: report.at, on: connection)
            else {
                return .duplicate
            }
            let found = try await rows(
                """
                SELECT id, status, recipient, account, provider, provider_message_id, error_code, error_message
                FROM message WHERE provider_message_id = \(report.providerMessageId) LIMIT 1 FOR UPDATE
                """, on: connection)
            guard let row = found.first else {
                let attempt = try await rows(
                    """
                    SELECT message_id FROM attempt WHERE provider_message_id = \(report.providerMessageId) LIMIT 1
                    """, on: connection)
                guard let messageId = try attempt.first?[0].decode(String.self) else { return .unknownMessage }
                try await appendStatus(
                    messageId, status: "ignored:\(report.providerStatus)",
                    source: "\(report.provider) (abandoned attempt)", at: report.at, on: connection)
                return .abandonedAttempt(messageId: messageId)
            }
            let id = try row[0].decode(String.self)
            let current = MessageStatus(rawValue: try row[1].decode(String.self)) ?? .unknown
            guard let next = current.advanced(by: report.status) else {
                try await appendStatus(
                    id, status: report.status.rawValue, source: "\(report.provider) (no change)",
                    at: report.at, on: connection)
                return .unchanged(messageId: id, status: current)
            }
            var errorCode = try row[6].decode(String?.self)
            var errorMessage = try row[7].decode(String?.self)
            if next == .failed, errorCode == nil {
                errorCode = MessageError.deliveryFailed.rawValue
                errorMessage = "the provider reported \(report.providerStatus)"
            }
            try await execute(
                """
                UPDATE message SET status = \(next.rawValue), updated_at = \(report.at), error_code = \(errorCode),
                  error_message = \(errorMessage) WHERE id = \(id)
                """, on: connection)
            try await appendStatus(id, status: next.rawValue, source: report.provider, at: report.at, on: connection)
            let data: [String: String?] = [
                "messageId": id, "to": "+" + (try row[2].decode(String.self)), "status": next.rawValue,
                "previousStatus": current.rawValue, "account": try row[3].decode(String?.self),
                "provider": try row[4].decode(String?.self), "providerMessageId": try row[5].decode(String?.self),
            ]
            try await enqueueEvent(.messageStatus, data: data, at: report.at, on: connection)
            if next == .failed {
                try await enqueueEvent(
                    .messageFailed, data: data.merging(["errorCode": errorCode, "errorMessage": errorMessage]) { $1 },
                    at: report.at, on: connection)
            }
            return .applied(messageId: id, from: current, to: next)
        }
    }

    public func recordInbound(_ inbound: InboundMessage) async throws -> Bool {
        try await transaction { connection in
            if let key = inbound.eventKey,
                !(try await claimEvent("inbound:\(inbound.provider):\(key)", at: inbound.at, on: connection))
            {
                return false
            }
            let id = "in_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
            try await execute(
                """
                INSERT INTO conversation_message (id, customer, account, provider, direction, kind, body, message_id,
                  provider_message_id, at)
                VALUES (\(id), \(inbound.customer), \(inbound.account), \(inbound.provider), 'in', \(inbound.type),
                  \(inbound.text), NULL, \(inbound.providerMessageId), \(inbound.at))
                """, on: connection)
            // A late or replayed callback never moves a window (or the conversation's last activity) back.
            try await execute(
                """
                INSERT INTO conversation_window (customer, account, last_inbound_at)
                VALUES (\(inbound.customer), \(inbound.account), \(inbound.at))
                ON CONFLICT (customer, account) DO UPDATE
                  SET last_inbound_at = GREATEST(conversation_window.last_inbound_at, EXCLUDED.last_inbound_at)
                """, on: connection)
            // Writing again is consent again: an opt-out ends here.
            try await execute(
                """
                INSERT INTO customer (phone, opted_out, last_message_at, last_direction)
                VALUES (\(inbound.customer), false, \(inbound.at), 'in')
                ON CONFLICT (phone) DO UPDATE SET opted_out = false,
                  last_message_at = GREATEST(customer.last_message_at, EXCLUDED.last_message_at),
                  last_direction = CASE WHEN EXCLUDED.last_message_at >= customer.last_message_at THEN 'in'
                    ELSE customer.last_direction END
                """, on: connection)
            try await enqueueEvent(
                .messageReceived,
                data: [
                    "id": id, "from": "+" + inbound.customer, "to": inbound.line, "account": inbound.account,
                    "provider": inbound.provider, "type": inbound.type, "text": inbound.text, "name": inbound.name,
                    "mediaUrl": inbound.mediaURL, "providerMessageId": inbound.providerMessageId,
                ], at: inbound.at, on: connection)
            return true
        }
    }

    public func recordOptOut(
        customer: String, account: String, provider: String, at: Date, eventKey: String?
    ) async throws -> Bool {
        try await transaction { connection in
            if let key = eventKey, !(try await claimEvent("optout:\(provider):\(key)", at: at, on: connection)) {
                return false
            }
            try await execute(
                """
                INSERT INTO customer (phone, opted_out, last_message_at, last_direction)
                VALUES (\(customer), true, \(at), 'in')
                ON CONFLICT (phone) DO UPDATE SET opted_out = true
                """, on: connection)
            try await enqueueEvent(
                .messageOptout, data: ["from": "+" + customer, "account": account, "provider": provider],
                at: at, on: connection)
            return true
        }
    }

    public func purgeInboundEvents(before: Date) async throws -> Int {
        try await execute("DELETE FROM inbound_event WHERE received_at < \(before) RETURNING key")
    }

    public func conversationStates(customers: [String]) async throws -> [String: CustomerState] {
        guard !customers.isEmpty else { return [:] }
        return try await conversationStates(customers: customers, on: nil)
    }

    func conversationStates(
        customers: [String], on connection: PostgresConnection?
    ) async throws -> [String: CustomerState] {
        try Self.states(
            try await rows(
                """
                SELECT phone, opted_out, NULL::text, NULL::timestamptz FROM customer
                WHERE phone = ANY(\(customers)::text[])
                UNION ALL
                SELECT customer, NULL::boolean, account, last_inbound_at FROM conversation_window
                WHERE customer = ANY(\(customers)::text[])
                """, on: connection))
    }

    public func conversations(limit: Int, now: Date) async throws -> [ConversationSummary] {
        let customers = try await rows(
            """
            SELECT phone, last_message_at, last_direction, opted_out FROM customer
            ORDER BY last_message_at DESC LIMIT \(limit)
            """)
        let phones = try customers.map { try $0[0].decode(String.self) }
        var windows: [String: [(account: String, at: Date)]] = [:]
        for row in try await rows(
            """
            SELECT customer, account, last_inbound_at FROM conversation_window WHERE customer = ANY(\(phones))
            """)
        {
            windows[try row[0].decode(String.self), default: []].append(
                (try row[1].decode(String.self), try row[2].decode(Date.self)))
        }
        return try customers.map { row in
            let phone = try row[0].decode(String.self)
            return ConversationSummary(
                customer: phone, lastMessageAt: try row[1].decode(Date.self),
                lastDirection: try row[2].decode(String.self),
                optedOut: try row[3].decode(Bool.self),
                openWindows: ConversationWindow.open(windows[phone] ?? [], now: now))
        }
    }

    public func thread(customer: String, limit: Int) async throws -> [ConversationEntry] {
        try await rows(
            """
            SELECT c.id, c.direction, c.account, c.provider, c.kind, c.body, c.message_id, m.status, c.at
            FROM conversation_message c LEFT JOIN message m ON m.id = c.message_id
            WHERE c.customer = \(customer) ORDER BY c.at, c.seq LIMIT \(limit)
            """
        ).map { row in
            ConversationEntry(
                id: try row[0].decode(String.self), direction: try row[1].decode(String.self),
                account: try row[2].decode(String.self),
                provider: try row[3].decode(String.self), kind: try row[4].decode(String.self),
                body: try row[5].decode(String?.self),
                messageId: try row[6].decode(String?.self), status: try row[7].decode(String?.self),
                at: try row[8].decode(Date.self))
        }
    }

    /// True the first time a key is seen, whichever instance sees it: the key is unique.
    func claimEvent(_ key: String, at: Date, on connection: PostgresConnection) async throws -> Bool {
        try await execute(
            """
            INSERT INTO inbound_event (key, received_at) VALUES (\(key), \(at))
            ON CONFLICT (key) DO NOTHING RETURNING key
            """, on: connection) == 1
    }
}

extension PostgresGatewayStore: GatewayStore {
    public func insert(
        _ messages: [NewMessage], readingStatesOf customers: [String]
    ) async throws -> [String: CustomerState] {
        if let states = try await insertSending(messages, readingStatesOf: customers) { return states }
        return try await transaction { connection in
            // Messages that differ in more than id and recipient (never one request's) go one statement each.
            for message in messages { _ = try await insertSending([message], readingStatesOf: [], on: connection) }
            guard !customers.isEmpty else { return [:] }
            return try await conversationStates(customers: customers, on: connection)
        }
    }
}
