import Hummingbird

/// Runs the provider simulators: one listener per Kaleyra pod, per Klaros deployment and per Cloud API host, plus an
/// optional control API.
public struct SimulatorHost: Sendable {
    public struct Setup: Sendable, Codable, Equatable {
        public var host: String
        public var kaleyra: KaleyraSimulator.Setup?
        public var klaros: [KlarosSimulator.Setup]
        public var cloudAPI: [CloudAPISimulator.Setup]
        /// Port of the control API (faults, request log); nil for none.
        public var controlPort: Int?
        public init(
            host: String = "127.0.0.1", kaleyra: KaleyraSimulator.Setup? = nil, klaros: [KlarosSimulator.Setup] = [],
            cloudAPI: [CloudAPISimulator.Setup] = [], controlPort: Int? = nil
        ) {
            self.host = host
            self.kaleyra = kaleyra
            self.klaros = klaros
            self.cloudAPI = cloudAPI
            self.controlPort = controlPort
        }

        enum CodingKeys: String, CodingKey {
            case host, kaleyra, klaros, controlPort
            case cloudAPI = "cloud-api"
        }

        public init(from decoder: Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            host = try container.decodeIfPresent(String.self, forKey: .host) ?? "127.0.0.1"
            kaleyra = try container.decodeIfPresent(KaleyraSimulator.Setup.self, forKey: .kaleyra)
            klaros = try container.decodeIfPresent([KlarosSimulator.Setup].self, forKey: .klaros) ?? []
            cloudAPI = try container.decodeIfPresent([CloudAPISimulator.Setup].self, forKey: .cloudAPI) ?? []
            controlPort = try container.decodeIfPresent(Int.self, forKey: .controlPort)
        }
    }

    public let setup: Setup
    public let faults = FaultBoard()
    public let requests = RequestLog()
    public let ports = PortRegistry()
    public let customers = CustomerBook()
    let callbacks = CallbackQueue()

    public init(setup: Setup) { self.setup = setup }

    public static let controlEndpoint = "control"

    /// Every endpoint this host serves (not the control API).
    public var endpoints: [String] {
        (setup.kaleyra?.pods.keys.sorted() ?? []).map(KaleyraSimulator.endpoint(pod:))
            + setup.klaros.map { KlarosSimulator.endpoint(id: $0.id) }
            + setup.cloudAPI.map { CloudAPISimulator.endpoint(id: $0.id) }
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
            group.addTask { [callbacks] in await callbacks.run() }
            do {
                try await group.next()
            } catch is CancellationError where Task.isCancelled {
                // Stopped: listeners end their wait by throwing CancellationError, which is their clean end.
            }
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
                let simulator = KaleyraSimulator(setup: kaleyra, pod: pod, faults: faults, log: requests, callbacks: callbacks)
                listeners.append(listener(KaleyraSimulator.endpoint(pod: pod), port: port, simulator.makeRouter))
            }
        }
        for klaros in setup.klaros {
            let simulator = KlarosSimulator(setup: klaros, faults: faults, log: requests, callbacks: callbacks, customers: customers)
            listeners.append(listener(KlarosSimulator.endpoint(id: klaros.id), port: klaros.port, simulator.makeRouter))
        }
        for cloud in setup.cloudAPI {
            let simulator = CloudAPISimulator(setup: cloud, faults: faults, log: requests, callbacks: callbacks, customers: customers)
            listeners.append(listener(CloudAPISimulator.endpoint(id: cloud.id), port: cloud.port, simulator.makeRouter))
        }
        if let controlPort = setup.controlPort {
            let control = SimulatorControl(host: self)
            listeners.append(listener(Self.controlEndpoint, port: controlPort, control.makeRouter))
        }
        return listeners
    }

    /// A customer writes to a simulated line (`kaleyra.<pod>`, `klaros.<id>` or `cloud-api.<id>`); false if that endpoint has nowhere to deliver it.
    public func customerWrites(endpoint: String, from: String, text: String, name: String? = nil, sid: String? = nil) async -> Bool {
        if let kaleyra = setup.kaleyra, let pod = kaleyra.pods.keys.first(where: { KaleyraSimulator.endpoint(pod: $0) == endpoint }) {
            return KaleyraSimulator(setup: kaleyra, pod: pod, faults: faults, log: requests, callbacks: callbacks).customerWrites(sid: sid, from: from, text: text, name: name)
        }
        if let klaros = setup.klaros.first(where: { KlarosSimulator.endpoint(id: $0.id) == endpoint }) {
            return await KlarosSimulator(setup: klaros, faults: faults, log: requests, callbacks: callbacks, customers: customers).customerWrites(from: from, text: text, name: name)
        }
        if let cloud = setup.cloudAPI.first(where: { CloudAPISimulator.endpoint(id: $0.id) == endpoint }) {
            let simulator = CloudAPISimulator(setup: cloud, faults: faults, log: requests, callbacks: callbacks, customers: customers)
            return await simulator.customerWrites(from: from, text: text, name: name)
        }
        return false
    }

    /// A customer opts out on a Klaros line.
    public func customerOptsOut(endpoint: String, from: String) -> Bool {
        guard let klaros = setup.klaros.first(where: { KlarosSimulator.endpoint(id: $0.id) == endpoint }) else { return false }
        return KlarosSimulator(setup: klaros, faults: faults, log: requests, callbacks: callbacks, customers: customers).customerOptsOut(from: from)
    }

    private func listener(_ endpoint: String, port: Int, _ makeRouter: @escaping @Sendable () -> Router<BasicRequestContext>) -> SimulatorListener {
        SimulatorListener(endpoint: endpoint, host: setup.host, port: port, faults: faults, ports: ports, makeRouter: makeRouter)
    }
}
