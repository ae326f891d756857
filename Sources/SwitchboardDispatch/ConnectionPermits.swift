/// At most `limit` provider requests in flight per host, the size of the HTTP client's connection pool for it. Past
/// that, requests wait here, where the dispatcher can tell the caller (`willWait`), instead of inside the client for a
/// pooled connection: a message cut off by a stop while it waits provably never left.
public actor ConnectionPermits {
    public let limit: Int
    private var inUse: [String: Int] = [:]
    private var waiters: [String: [CheckedContinuation<Void, Never>]] = [:]

    public init(limit: Int) { self.limit = max(1, limit) }

    /// Takes a permit for `host` if one is free, without waiting.
    public func tryAcquire(_ host: String) -> Bool {
        guard inUse[host, default: 0] < limit else { return false }
        inUse[host, default: 0] += 1
        return true
    }

    /// Waits for a permit for `host`. Every permit is given back with `release`.
    public func acquire(_ host: String) async {
        if inUse[host, default: 0] < limit {
            inUse[host, default: 0] += 1
            return
        }
        await withCheckedContinuation { waiters[host, default: []].append($0) }
    }

    /// Hands the permit to the longest waiter, if any.
    public func release(_ host: String) {
        if var queue = waiters[host], !queue.isEmpty {
            let next = queue.removeFirst()
            waiters[host] = queue.isEmpty ? nil : queue
            next.resume()
            return
        }
        inUse[host, default: 1] -= 1
        if inUse[host] == 0 { inUse[host] = nil }
    }

    public func waiting(_ host: String) -> Int { waiters[host]?.count ?? 0 }

    /// `scheme://host:port` of a base URL: the key the HTTP client pools connections by.
    public nonisolated static func host(of baseURL: String) -> String {
        let parts = baseURL.split(separator: "/", maxSplits: 3, omittingEmptySubsequences: false)
        return parts.count >= 3 ? parts[0...2].joined(separator: "/") : baseURL
    }
}
