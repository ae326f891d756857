import NIOConcurrencyHelpers
import SwitchboardCore

/// A gateway clock that moves only when a test says so: a `sleep(until:)` returns once `advance(by:)` has passed its
/// deadline, and throws when its task is cancelled.
public final class ManualClock: GatewayClock {
    private struct Sleeper {
        var id: Int
        var deadline: Instant
        var continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var now: Instant
        var nextId = 0
        var sleepers: [Sleeper] = []
        /// Sleeps cancelled before they were parked.
        var cancelled: Set<Int> = []
        /// Tests waiting for this many sleeps to be parked.
        var watchers: [(count: Int, continuation: CheckedContinuation<Void, Never>)] = []

        /// The watchers whose count is now reached, removed.
        mutating func satisfiedWatchers() -> [CheckedContinuation<Void, Never>] {
            let parked = sleepers.count
            let ready = watchers.filter { $0.count <= parked }.map(\.continuation)
            watchers.removeAll { $0.count <= parked }
            return ready
        }
    }

    private let state: NIOLockedValueBox<State>

    public init(now: Instant = Instant(milliseconds: 1_000_000)) {
        state = NIOLockedValueBox(State(now: now))
    }

    public func now() -> Instant { state.withLockedValue { $0.now } }

    /// How many sleeps are waiting for the clock to move.
    public var sleepers: Int { state.withLockedValue { $0.sleepers.count } }

    /// The earliest deadline anyone is waiting for.
    public var nextDeadline: Instant? { state.withLockedValue { $0.sleepers.map(\.deadline).min() } }

    /// Moves time forward and wakes every sleep whose deadline it reached.
    public func advance(by milliseconds: Int) {
        let due = state.withLockedValue { state -> [Sleeper] in
            state.now = state.now + milliseconds
            let now = state.now
            let due = state.sleepers.filter { $0.deadline <= now }
            state.sleepers.removeAll { $0.deadline <= now }
            return due
        }
        for sleeper in due { sleeper.continuation.resume() }
    }

    /// Suspends until at least `count` sleeps are parked (the code under test is waiting for the clock). Bound the
    /// test with a time limit: code that never sleeps leaves this waiting.
    public func waitForSleepers(_ count: Int = 1) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let ready = state.withLockedValue { state -> Bool in
                if state.sleepers.count >= count { return true }
                state.watchers.append((count, continuation))
                return false
            }
            if ready { continuation.resume() }
        }
    }

    public func sleep(until deadline: Instant) async throws {
        let id = state.withLockedValue { state -> Int in
            state.nextId += 1
            return state.nextId
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                enum Parked { case parked, due, cancelled }
                let (parked, watchers) = state.withLockedValue { state -> (Parked, [CheckedContinuation<Void, Never>]) in
                    if state.cancelled.remove(id) != nil { return (.cancelled, []) }
                    if deadline <= state.now { return (.due, []) }
                    state.sleepers.append(Sleeper(id: id, deadline: deadline, continuation: continuation))
                    return (.parked, state.satisfiedWatchers())
                }
                for watcher in watchers { watcher.resume() }
                switch parked {
                case .parked: break
                case .due: continuation.resume()
                case .cancelled: continuation.resume(throwing: CancellationError())
                }
            }
        } onCancel: {
            let sleeper = state.withLockedValue { state -> Sleeper? in
                guard let index = state.sleepers.firstIndex(where: { $0.id == id }) else {
                    state.cancelled.insert(id)
                    return nil
                }
                return state.sleepers.remove(at: index)
            }
            sleeper?.continuation.resume(throwing: CancellationError())
        }
    }
}
