import Foundation
import PostgresNIO
import SwitchboardCore

extension PostgresGatewayStore: SharedLineSchedule {
    /// One statement per lease, timed by the database's clock, so instances' clocks need not agree.
    public func leaseSlots(line: String, count: Int, ratePerSecond: Double, burst: Double) async throws -> Int {
        let span = Double(count) / ratePerSecond
        let saved = burst / ratePerSecond
        let found = try await rows(
            """
            INSERT INTO line_schedule (line, next_slot_at)
            VALUES (\(line), statement_timestamp() - make_interval(secs => \(saved)) + make_interval(secs => \(span)))
            ON CONFLICT (line) DO UPDATE SET next_slot_at =
              GREATEST(line_schedule.next_slot_at, statement_timestamp() - make_interval(secs => \(saved)))
              + make_interval(secs => \(span))
            RETURNING (EXTRACT(EPOCH FROM (next_slot_at - statement_timestamp())) * 1000)::float8
            """)
        let endMs = try found.first?[0].decode(Double.self) ?? 0
        return Int((endMs - span * 1000).rounded(.up))
    }
}
