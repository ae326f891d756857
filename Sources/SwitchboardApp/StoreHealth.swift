import Logging
import NIOConcurrencyHelpers

/// Whether the store is taking writes, as the last write found it. `/healthz` answers 503 while it is not; the log
/// gets one line when writes start failing and one when they work again, not one per request.
final class StoreHealth: Sendable {
    private let failing = NIOLockedValueBox(false)
    private let logger: Logger

    init(logger: Logger = Logger(label: "switchboard.store")) { self.logger = logger }

    var isWritable: Bool { !failing.withLockedValue { $0 } }

    func writeFailed(_ error: any Error) {
        let changed = failing.withLockedValue { failing in
            defer { failing = true }
            return !failing
        }
        if changed {
            logger.error(
                "the store cannot write: sends answer 503 store_unavailable and /healthz 503 until it can",
                metadata: [
                    "error.type": "\(String(reflecting: type(of: error)))"
                ])
        }
    }

    func writeSucceeded() {
        let changed = failing.withLockedValue { failing in
            defer { failing = false }
            return failing
        }
        if changed { logger.notice("the store writes again") }
    }
}
