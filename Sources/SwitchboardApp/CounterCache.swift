import NIOConcurrencyHelpers
import Prometheus

/// Counters by their label values. The registry checks the metric's name, labels and help text on every
/// `makeCounter` call (a few microseconds, twice per message); after a label set's first use this is a dictionary
/// lookup. Label values are bounded, so the cache is too.
final class CounterCache<Key: Hashable & Sendable>: Sendable {
    private let counters = NIOLockedValueBox<[Key: Counter]>([:])

    func counter(_ key: Key, make: () -> Counter) -> Counter {
        if let counter = counters.withLockedValue({ $0[key] }) { return counter }
        // The registry returns the same counter for the same labels, so two threads racing here agree.
        let counter = make()
        counters.withLockedValue { $0[key] = counter }
        return counter
    }
}
