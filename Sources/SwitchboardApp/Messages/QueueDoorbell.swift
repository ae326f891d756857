/// Wakes idle queue workers as soon as messages are queued, so between arrivals they sleep long instead of polling
/// the database every few milliseconds.
public actor QueueDoorbell {
    private var waiting: [Int: CheckedContinuation<Void, Never>] = [:]
    /// Waits that timed out before they parked: their park must not wait.
    private var expired: Set<Int> = []
    private var nextID = 0
    private var rangWhileNobodyWaited = false

    public init() {}

    public func ring() {
        guard !waiting.isEmpty else {
            rangWhileNobodyWaited = true
            return
        }
        for continuation in waiting.values { continuation.resume() }
        waiting.removeAll()
    }

    /// Returns when the bell rings or `timeout` passes (or the task is cancelled); at once if it rang while nobody
    /// waited.
    func wait(timeout: Duration) async {
        if rangWhileNobodyWaited {
            rangWhileNobodyWaited = false
            return
        }
        let id = nextID
        nextID += 1
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.park(id) }
            group.addTask {
                try? await Task.sleep(for: timeout)
                await self.expire(id)
            }
            await group.next()
            group.cancelAll()
        }
        // Both children have ended: a late expiry may have left the id behind.
        expired.remove(id)
    }

    private func park(_ id: Int) async {
        await withCheckedContinuation { continuation in
            if expired.contains(id) { continuation.resume() } else { waiting[id] = continuation }
        }
    }

    private func expire(_ id: Int) {
        if let continuation = waiting.removeValue(forKey: id) { continuation.resume() } else { expired.insert(id) }
    }

    /// Waits parked right now (for tests).
    var parked: Int { waiting.count }
}
