import Foundation
import Logging
import ServiceLifecycle
import SwitchboardCore
import SwitchboardDispatch
import SwitchboardStore

/// Shares account holds between instances through their store: what this instance's breakers and Retry-After
/// pauses hold is published when it changes, and what the others published is read and honoured. Holds cross as
/// wall-clock times; each instance maps them onto its own engine clock.
struct SharedHealthSync<Store: SharedHealthStore>: Sendable {
    let store: Store
    private(set) var published: [String: AccountHold] = [:]

    init(store: Store) { self.store = store }

    /// Publishes the holds that are new or longer since the last call. Returns how many.
    mutating func publish(from board: HealthBoard, instant: Instant, wallNow: Date) async throws -> Int {
        let holds = await board.holds(now: instant)
        let changed = holds.filter { published[$0.key] != $0.value }
        guard !changed.isEmpty else { return 0 }
        try await store.publishHolds(
            changed.mapValues { hold in
                (
                    hold.openUntil.map { Self.date($0, instant: instant, wallNow: wallNow) },
                    hold.retryAfterUntil.map { Self.date($0, instant: instant, wallNow: wallNow) }
                )
            })
        published = holds
        return changed.count
    }

    /// Reads the holds in force and has `board` honour them.
    func absorb(into board: HealthBoard, instant: Instant, wallNow: Date) async throws {
        let holds = try await store.currentHolds(now: wallNow)
        guard !holds.isEmpty else { return }
        await board.honour(
            holds.mapValues { hold in
                AccountHold(
                    openUntil: hold.openUntil.map { Self.instant($0, instant: instant, wallNow: wallNow) },
                    retryAfterUntil: hold.retryAfterUntil.map { Self.instant($0, instant: instant, wallNow: wallNow) })
            }, now: instant)
    }

    static func date(_ at: Instant, instant now: Instant, wallNow: Date) -> Date {
        wallNow.addingTimeInterval(Double(at - now) / 1000)
    }

    static func instant(_ at: Date, instant now: Instant, wallNow: Date) -> Instant {
        now + Int((at.timeIntervalSince(wallNow) * 1000).rounded(.up))
    }
}

/// Runs `SharedHealthSync`: publishes changes every half second and reads the others' holds once a second, so a
/// circuit one instance opens is honoured by the rest within about two seconds, without a round trip per send.
struct SharedHealthService<Store: SharedHealthStore>: Service {
    let store: Store
    let routing: LiveDispatcher
    let logger: Logger
    var interval: Duration = .milliseconds(500)

    func run() async throws {
        var sync = SharedHealthSync(store: store)
        var tick = 0
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            let dispatcher = routing.current
            let instant = dispatcher.clock.now()
            do {
                _ = try await sync.publish(from: dispatcher.health, instant: instant, wallNow: Date())
                if tick % 2 == 0 { try await sync.absorb(into: dispatcher.health, instant: instant, wallNow: Date()) }
            } catch {
                logger.warning("could not share account health", metadata: ["error.type": "\(type(of: error))"])
            }
            tick += 1
            do { try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) } } catch { break }
        }
    }
}
