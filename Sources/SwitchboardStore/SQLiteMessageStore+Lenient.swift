import Foundation
import GRDB
import Logging

extension SQLiteMessageStore {
    /// The records of `request` that decode. A row that does not (a date the store cannot read back, say) is logged
    /// by table and skipped, so one bad row can neither crash the gateway nor fail every read that includes it.
    static func decodable<Record: FetchableRecord & TableRecord>(
        _ request: QueryInterfaceRequest<Record>, _ db: Database, logger: Logger
    ) throws -> [Record] {
        var records: [Record] = []
        var skipped = 0
        let rows = try Row.fetchCursor(db, request)
        while let row = try rows.next() {
            if let record = try? Record(row: row) { records.append(record) } else { skipped += 1 }
        }
        if skipped > 0 { logUnreadable(Record.databaseTableName, count: skipped, logger: logger) }
        return records
    }

    /// The one record `request` finds, or nil if there is none or it does not decode (logged).
    static func decodableOne<Record: FetchableRecord & TableRecord>(
        _ request: QueryInterfaceRequest<Record>, _ db: Database, logger: Logger
    ) throws -> Record? {
        try decodable(request.limit(1), db, logger: logger).first
    }

    static func logUnreadable(_ table: String, count: Int, logger: Logger) {
        logger.error("skipped rows that could not be decoded", metadata: ["table": "\(table)", "count": "\(count)"])
    }
}
