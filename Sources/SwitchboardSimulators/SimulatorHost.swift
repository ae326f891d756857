import Hummingbird

/// Runs the provider simulators: one listener per Kaleyra pod and per Klaros deployment, plus an optional control API.
public struct SimulatorHost: Sendable {
    public struct Setup: Sendable, Codable, Equatable {
        public var host: String
        public var kaleyra: KaleyraSimulator.Setup?
        public var klaros: [KlarosSimulator.Setup]
        /// Port of the control API (faults, request log); nil for none.
        public var controlPort: Int?
        public init(host: String = "127.0.0.1", kaleyra: KaleyraSimulator.Setup? = nil, klaros: [KlarosSimulator.Setup] = [], controlPort: Int? = nil) {
            self.host = host
            self.kaleyra = kaleyra
            self.klaros = klaros
            self.controlPort = controlPort
        }
    }

    public let setup: Setup
    public let faults = FaultBoard()
    public let requests = RequestLog()
    public let ports = PortRegistry()

    public init(setup: Setup) { self.setup = setup }

    public static let controlEndpoint = "control"

    /// Every endpoint this host serves (not the control API).
    public var endpoints: [String] {
        (setup.kaleyra?.pods.keys.sorted() ?? []).map(KaleyraSimulator.endpoint(pod:))
            + setup.klaros.map { KlarosSimulator.endpoint(id: $0.id) }
    }

    /// `http://host:port` of an endpoint once bound.
    public func baseURL(_ endpoint: String) async -> String? {
        await ports.port(endpoint).map { "http://\(setup.host):\($0)" }
    }

    public func run() async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for listener in listeners() {
                group.addTask { try await listener.run() }
            }
            try await group.next()
            group.cancelAll()
        }
    }

    /// Runs the simulators around `body`, then stops them.
    public func withRunning<T: Sendable>(_ body: @Sendable (SimulatorHost) async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await run(); return nil }
            try await ports.waitUntilBound(endpoints + (setup.controlPort == nil ? [] : [Self.controlEndpoint]))
            let result = try await body(self)
            group.cancelAll()
            return result
        }
    }

    private func listeners() -> [SimulatorListener] {
        var listeners: [SimulatorListener] = []
        if let kaleyra = setup.kaleyra {
            for (pod, port) in kaleyra.pods.sorted(by: { $0.key < $1.key }) {
                let simulator = KaleyraSimulator(setup: kaleyra, pod: pod, faults: faults, log: requests)
                listeners.append(listener(KaleyraSimulator.endpoint(pod: pod), port: port, simulator.makeRouter))
            }
        }
        for klaros in setup.klaros {
            let simulator = KlarosSimulator(setup: klaros, faults: faults, log: requests)
            listeners.append(listener(KlarosSimulator.endpoint(id: klaros.id), port: klaros.port, simulator.makeRouter))
        }
        if let controlPort = setup.controlPort {
            let control = SimulatorControl(faults: faults, requests: requests, ports: ports, endpoints: endpoints)
            listeners.append(listener(Self.controlEndpoint, port: controlPort, control.makeRouter))
        }
        return listeners
    }

    private func listener(_ endpoint: String, port: Int, _ makeRouter: @escaping @Sendable () -> Router<BasicRequestContext>) -> SimulatorListener {
        SimulatorListener(endpoint: endpoint, host: setup.host, port: port, faults: faults, ports: ports, makeRouter: makeRouter)
    }
}
