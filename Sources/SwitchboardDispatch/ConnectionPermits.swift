import NIOConcurrencyHelpers

/// At most `limit` provider requests in flight per host, the size of the HTTP client's connection pool for it. Past
/// that, requests wait here, where the dispatcher can tell the caller (`willWait`), instead of inside the client for a
/// pooled connection: a message cut off by a stop while it waits provably never left. A lock, not an actor: every
/// provider call takes and gives back a permit, and an actor's two hops a call cost throughput at 64 connections.
public final class ConnectionPermits: Sendable {
    private struct State {
        var inUse: [String: Int] = [:]
        var waiters: [String: [CheckedContinuation<Void, Never>]] = [:]
    }

    public let limit: Int
    private let state = NIOLockedValueBox(State())

    public init(limit: Int) { self.limit = max(1, limit) }

    /// Takes a permit for `host` if one is free, without waiting.
    public func tryAcquire(_ host: String) -> Bool {
        state.withLockedValue { state in
            guard state.inUse[host, default: 0] < limit else { return false }
            state.inUse[host, default: 0] += 1
            return true
        }
    }

    /// Waits for a permit for `host`. Every permit is given back with `release`.
    public func acquire(_ host: String) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let taken = state.withLockedValue { state in
                if state.inUse[host, default: 0] < limit {
                    state.inUse[host, default: 0] += 1
                    return true
                }
                state.waiters[host, default: []].append(continuation)
                return false
            }
            if taken { continuation.resume() }
        }
    }

    /// Hands the permit to the longest waiter, if any.
    public func release(_ host: String) {
        let next: CheckedContinuation<Void, Never>? = state.withLockedValue { state in
            if var queue = state.waiters[host], !queue.isEmpty {
                let next = queue.removeFirst()
                state.waiters[host] = queue.isEmpty ? nil : queue
                return next
            }
            state.inUse[host, default: 1] -= 1
            if state.inUse[host] == 0 { state.inUse[host] = nil }
            return nil
        }
        next?.resume()
    }

    public func waiting(_ host: String) -> Int { state.withLockedValue { $0.waiters[host]?.count ?? 0 } }

    /// `scheme://host:port` of a base URL: the key the HTTP client pools connections by.
    public static func host(of baseURL: String) -> String {
        let parts = baseURL.split(separator: "/", maxSplits: 3, omittingEmptySubsequences: false)
        return parts.count >= 3 ? parts[0...2].joined(separator: "/") : baseURL
    }
}
