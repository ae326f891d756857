import Foundation
import GRDB
import Logging
import SwitchboardCore

extension SQLiteMessageStore: InboxStore {
    public func applyStatus(_ report: StatusReport) async throws -> StatusUpdate {
        try await database.writer.write { db in
            guard try Self.claimEvent(db, key: "status:\(report.provider):\(report.eventKey)", at: report.at) else { return .duplicate }
            guard var message = try MessageRecord.filter(Column("providerMessageId") == report.providerMessageId).fetchOne(db) else {
                if let attempt = try AttemptRecord.filter(Column("providerMessageId") == report.providerMessageId).fetchOne(db) {
                    try StatusEventRecord(messageId: attempt.messageId, status: "ignored:\(report.providerStatus)", source: "\(report.provider) (abandoned attempt)", at: report.at).insert(db)
                    return .abandonedAttempt(messageId: attempt.messageId)
                }
                return .unknownMessage
            }
            let current = MessageStatus(rawValue: message.status) ?? .unknown
            guard let next = current.advanced(by: report.status) else {
                try StatusEventRecord(messageId: message.id, status: report.status.rawValue, source: "\(report.provider) (no change)", at: report.at).insert(db)
                return .unchanged(messageId: message.id, status: current)
            }
            message.status = next.rawValue
            message.updatedAt = report.at
            if next == .failed, message.errorCode == nil {
                message.errorCode = MessageError.deliveryFailed.rawValue
                message.errorMessage = "the provider reported \(report.providerStatus)"
            }
            try message.update(db)
            try StatusEventRecord(messageId: message.id, status: next.rawValue, source: report.provider, at: report.at).insert(db)
            let data: [String: String?] = [
                "messageId": message.id, "to": "+" + message.recipient, "status": next.rawValue, "previousStatus": current.rawValue,
                "account": message.account, "provider": message.provider, "providerMessageId": message.providerMessageId,
            ]
            try Outbox.enqueue(db, type: .messageStatus, data: data, at: report.at)
            if next == .failed {
                try Outbox.enqueue(db, type: .messageFailed, data: data.merging(["errorCode": message.errorCode, "errorMessage": message.errorMessage]) { $1 }, at: report.at)
            }
            return .applied(messageId: message.id, from: current, to: next)
        }
    }

    public func recordInbound(_ inbound: InboundMessage) async throws -> Bool {
        try await database.writer.write { db in
            if let key = inbound.eventKey, !(try Self.claimEvent(db, key: "inbound:\(inbound.provider):\(key)", at: inbound.at)) { return false }
            let id = "in_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
            try ConversationMessageRecord(
                id: id, customer: inbound.customer, account: inbound.account, provider: inbound.provider, direction: "in",
                kind: inbound.type, body: inbound.text, messageId: nil, providerMessageId: inbound.providerMessageId, at: inbound.at
            ).insert(db)
            // A late or replayed callback never moves a window (or the conversation's last activity) back.
            try db.execute(sql: """
                INSERT INTO conversationWindow (customer, account, lastInboundAt) VALUES (?, ?, ?)
                ON CONFLICT (customer, account) DO UPDATE SET lastInboundAt = MAX(lastInboundAt, excluded.lastInboundAt)
                """, arguments: [inbound.customer, inbound.account, inbound.at])
            // Writing again is consent again: an opt-out ends here.
            try db.execute(sql: """
                INSERT INTO customer (phone, optedOut, lastMessageAt, lastDirection) VALUES (?, 0, ?, 'in')
                ON CONFLICT (phone) DO UPDATE SET optedOut = 0, lastMessageAt = MAX(lastMessageAt, excluded.lastMessageAt),
                    lastDirection = CASE WHEN excluded.lastMessageAt >= lastMessageAt THEN 'in' ELSE lastDirection END
                """, arguments: [inbound.customer, inbound.at])
            try Outbox.enqueue(db, type: .messageReceived, data: [
                "id": id, "from": "+" + inbound.customer, "to": inbound.line, "account": inbound.account, "provider": inbound.provider,
                "type": inbound.type, "text": inbound.text, "name": inbound.name, "mediaUrl": inbound.mediaURL, "providerMessageId": inbound.providerMessageId,
            ], at: inbound.at)
            return true
        }
    }

    public func recordOptOut(customer: String, account: String, provider: String, at: Date, eventKey: String?) async throws -> Bool {
        try await database.writer.write { db in
            if let key = eventKey, !(try Self.claimEvent(db, key: "optout:\(provider):\(key)", at: at)) { return false }
            var record = try CustomerRecord.fetchOne(db, key: customer) ?? CustomerRecord(phone: customer, optedOut: true, lastMessageAt: at, lastDirection: "in")
            record.optedOut = true
            try record.save(db)
            try Outbox.enqueue(db, type: .messageOptout, data: ["from": "+" + customer, "account": account, "provider": provider], at: at)
            return true
        }
    }

    public func conversationStates(customers: [String]) async throws -> [String: CustomerState] {
        guard !customers.isEmpty else { return [:] }
        let logger = self.logger
        return try await database.writer.read { db in try Self.conversationStates(db, customers: customers, logger: logger) }
    }

    static func conversationStates(_ db: Database, customers: [String], logger: Logger) throws -> [String: CustomerState] {
        guard !customers.isEmpty else { return [:] }
        var states: [String: CustomerState] = [:]
        // Cached per recipient count (a request's 100 or a queue claim's 256 at most), so each shape is prepared once.
        let marks = databaseQuestionMarks(count: customers.count)
        let arguments = StatementArguments(customers)
        let optOuts = try db.cachedStatement(sql: "SELECT phone, optedOut FROM customer WHERE phone IN (\(marks))")
        for row in try Row.fetchAll(optOuts, arguments: arguments) {
            states[row[0], default: CustomerState()].optedOut = row[1]
        }
        let windows = try db.cachedStatement(sql: "SELECT customer, account, lastInboundAt FROM conversationWindow WHERE customer IN (\(marks))")
        var unreadable = 0
        for row in try Row.fetchAll(windows, arguments: arguments) {
            // A date that does not read back opens no window; it never traps.
            guard let at = Date.fromDatabaseValue(row[2] as DatabaseValue) else { unreadable += 1; continue }
            states[row[0], default: CustomerState()].lastInbound[row[1]] = at
        }
        if unreadable > 0 { logUnreadable(ConversationWindowRecord.databaseTableName, count: unreadable, logger: logger) }
        return states
    }

    public func conversations(limit: Int, now: Date) async throws -> [ConversationSummary] {
        let logger = self.logger
        return try await database.writer.read { db in
            let customers = try Self.decodable(CustomerRecord.order(CustomerRecord.Columns.lastMessageAt.desc).limit(limit), db, logger: logger)
            return try customers.map { customer in
                let windows = try Self.decodable(
                    ConversationWindowRecord.filter(ConversationWindowRecord.Columns.customer == customer.phone), db, logger: logger)
                let open = ConversationWindow.open(windows.map { (account: $0.account, at: $0.lastInboundAt) }, now: now)
                return ConversationSummary(customer: customer.phone, lastMessageAt: customer.lastMessageAt, lastDirection: customer.lastDirection,
                                           optedOut: customer.optedOut, openWindows: open)
            }
        }
    }

    public func thread(customer: String, limit: Int) async throws -> [ConversationEntry] {
        let logger = self.logger
        return try await database.writer.read { db in
            let rows = try Self.decodable(ConversationMessageRecord.filter(ConversationMessageRecord.Columns.customer == customer)
                .order(ConversationMessageRecord.Columns.at, Column.rowID).limit(limit), db, logger: logger)
            return try rows.map { row in
                let status = try row.messageId.flatMap { try MessageRecord.fetchOne(db, key: $0)?.status }
                return ConversationEntry(id: row.id, direction: row.direction, account: row.account, provider: row.provider, kind: row.kind,
                                         body: row.body, messageId: row.messageId, status: status, at: row.at)
            }
        }
    }

    public func purgeInboundEvents(before: Date) async throws -> Int {
        try await database.writer.write { db in
            try InboundEventRecord.filter(Column("receivedAt") < before).deleteAll(db)
        }
    }

    /// True the first time a key is seen.
    static func claimEvent(_ db: Database, key: String, at: Date) throws -> Bool {
        guard try InboundEventRecord.fetchOne(db, key: key) == nil else { return false }
        try InboundEventRecord(key: key, receivedAt: at).insert(db)
        return true
    }
}
