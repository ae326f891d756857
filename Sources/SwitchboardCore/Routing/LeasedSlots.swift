/// The send slots one instance leased on a line from the shared schedule, handed out in time order. Pure: instants
/// come in. Slots whose time passed unused are dropped, never sent late in a bunch (that would crowd the slots other
/// instances leased after them).
public struct LeasedSlots: Sendable, Hashable {
    struct Run: Sendable, Hashable {
        var first: Instant
        var count: Int
        var used: Int
        /// Slots that were already due when leased (a line's saved burst): all of them go at `first`.
        var atOnce = false
    }

    public enum Take: Sendable, Hashable {
        /// Taken: the last of them is at this instant (or now).
        case taken(at: Instant)
        /// There are enough, but the last is further off than the caller may wait; nothing taken.
        case tooLate
        /// Lease at least this many more.
        case short(missing: Int)
    }

    public let ratePerSecond: Double
    private var runs: [Run] = []
    /// Slots taken since the last lease, and when that was: the line's recent demand here, which sizes the next one.
    private var takenSinceLease = 0
    private var lastLeaseAt: Instant?
    /// How late a slot may be taken: the time a lease takes to come back, about.
    public static let graceMs = 20
    /// How long slots that were due when leased (a saved burst) are kept: one lease period.
    public static let heldMs = 200

    public init(ratePerSecond: Double) { self.ratePerSecond = max(ratePerSecond, 0.001) }

    /// The most slots one lease takes: 200 ms of the line's rate, so a line used to its rate takes one lease every
    /// 200 ms.
    public static func leaseSize(ratePerSecond: Double) -> Int { max(1, Int((ratePerSecond * 0.2).rounded(.down))) }

    /// Slots for the next lease: 200 ms of this instance's recent demand (with half again for growth), at least what
    /// is missing and at most `leaseSize`. Leasing a line's full 200 ms when this instance sends a fraction of it
    /// would hold the schedule's next 200 ms away from the other instances for nothing.
    public func nextLeaseSize(missing: Int, now: Instant) -> Int {
        let cap = Self.leaseSize(ratePerSecond: ratePerSecond)
        guard let since = lastLeaseAt else { return max(missing, min(cap, 16)) }
        let perSecond = Double(takenSinceLease) * 1000 / Double(max(now - since, 1))
        return max(missing, min(cap, Int((perSecond * 0.2 * 1.5).rounded(.up))))
    }

    var spacingMs: Double { 1000 / ratePerSecond }

    public var available: Int { runs.reduce(0) { $0 + $1.count - $1.used } }

    /// Adds a leased run whose first slot is at `first`; slots already due at `now` may all go at once.
    public mutating func add(count: Int, first: Instant, now: Instant) {
        lastLeaseAt = now
        takenSinceLease = 0
        let due = first < now ? min(count, Int((Double(now - first) / spacingMs).rounded(.down)) + 1) : 0
        if due > 0 { runs.append(Run(first: now, count: due, used: 0, atOnce: true)) }
        if due < count {
            runs.append(Run(first: first + Int((Double(due) * spacingMs).rounded(.up)), count: count - due, used: 0))
        }
        runs.sort { $0.first < $1.first }
    }

    public mutating func take(_ count: Int, now: Instant, maxWaitMs: Int?) -> Take {
        drop(before: now + -Self.graceMs)
        let missing = count - available
        guard missing <= 0 else { return .short(missing: missing) }
        var needed = count
        var plan = runs
        var last = now
        for index in plan.indices where needed > 0 {
            let taking = min(needed, plan[index].count - plan[index].used)
            guard taking > 0 else { continue }
            plan[index].used += taking
            needed -= taking
            last = slot(plan[index], plan[index].used - 1)
        }
        let at = max(last, now)
        if let maxWaitMs, at - now > maxWaitMs { return .tooLate }
        runs = plan.filter { $0.used < $0.count }
        takenSinceLease += count
        return .taken(at: at)
    }

    private func slot(_ run: Run, _ index: Int) -> Instant {
        run.atOnce ? run.first : run.first + Int((Double(index) * spacingMs).rounded(.up))
    }

    private mutating func drop(before cutoff: Instant) {
        for index in runs.indices {
            if runs[index].atOnce {
                if runs[index].first + Self.heldMs < cutoff { runs[index].used = runs[index].count }
                continue
            }
            let passed = Double(cutoff - runs[index].first) / spacingMs
            if passed > 0 { runs[index].used = min(runs[index].count, max(runs[index].used, Int(passed.rounded(.up)))) }
        }
        runs.removeAll { $0.used >= $0.count }
    }
}
