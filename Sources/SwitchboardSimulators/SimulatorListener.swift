import Hummingbird
import Logging
import NIOCore
import SwitchboardHTTP

/// Serves one simulated endpoint on one port. While its fault is `refuse` the socket is closed, so clients see
/// connection refused; when the fault clears it listens again on the same port.
struct SimulatorListener: Sendable {
    let endpoint: String
    let host: String
    let port: Int
    let faults: FaultBoard
    let ports: PortRegistry
    let makeRouter: @Sendable () -> Router<BasicRequestContext>

    func run() async throws {
        var port = self.port
        while !Task.isCancelled {
            while await faults.isRefusing(endpoint) { try await Task.sleep(for: .milliseconds(10)) }
            let app = Application(
                router: makeRouter(),
                server: .finishingHTTP1(),
                configuration: .init(address: .hostname(host, port: port), serverName: nil, reuseAddress: true),
                onServerRunning: { [ports, endpoint] channel in
                    if let bound = channel.localAddress?.port { await ports.set(endpoint, port: bound) }
                },
                logger: Logger(label: "switchboard.simulator", factory: { _ in SwiftLogNoOpLogHandler() })
            )
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await app.run() }
                group.addTask { [faults, endpoint] in
                    while await !faults.isRefusing(endpoint) { try await Task.sleep(for: .milliseconds(10)) }
                }
                try await group.next()
                group.cancelAll()
            }
            await ports.markClosed(endpoint)
            // Later binds reuse the first port, so clients keep a stable address.
            if let bound = await ports.lastPort(endpoint) { port = bound }
        }
    }
}

/// Which port each endpoint is listening on.
public actor PortRegistry {
    private var open: [String: Int] = [:]
    private var last: [String: Int] = [:]

    func set(_ endpoint: String, port: Int) {
        open[endpoint] = port
        last[endpoint] = port
    }
    func markClosed(_ endpoint: String) { open[endpoint] = nil }
    func lastPort(_ endpoint: String) -> Int? { last[endpoint] }

    /// The port of an endpoint that has listened at least once.
    public func port(_ endpoint: String) -> Int? { last[endpoint] }
    public func isListening(_ endpoint: String) -> Bool { open[endpoint] != nil }

    /// Waits until every endpoint has bound once.
    public func waitUntilBound(_ endpoints: [String]) async throws {
        while !endpoints.allSatisfy({ last[$0] != nil }) { try await Task.sleep(for: .milliseconds(5)) }
    }

    /// Waits until an endpoint is listening (or, with `false`, closed).
    public func waitUntil(_ endpoint: String, listening: Bool) async throws {
        while (open[endpoint] != nil) != listening { try await Task.sleep(for: .milliseconds(5)) }
    }
}
