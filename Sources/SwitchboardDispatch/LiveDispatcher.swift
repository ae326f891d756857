import NIOConcurrencyHelpers
import SwitchboardCore

/// The dispatcher new sends take. A reload replaces it; a send already running finishes on the one it took.
public final class LiveDispatcher: Sendable {
    private let box: NIOLockedValueBox<Dispatcher>

    public init(_ dispatcher: Dispatcher) { box = NIOLockedValueBox(dispatcher) }

    public var current: Dispatcher { box.withLockedValue { $0 } }

    public func replace(with dispatcher: Dispatcher) { box.withLockedValue { $0 = dispatcher } }
}
