/// The fault switches of every simulated endpoint, shared by the handlers and the control API.
public actor FaultBoard {
    private var faults: [String: Fault] = [:]
    private var generator = SplitMix64(seed: 0x5157_1234)

    public init() {}

    public func set(_ fault: Fault, for endpoint: String) {
        faults[endpoint] = fault.mode == .none && fault.latencyMs == nil ? nil : fault
    }

    public func clear(_ endpoint: String) { faults[endpoint] = nil }
    public func clearAll() { faults = [:] }
    public func fault(for endpoint: String) -> Fault { faults[endpoint] ?? .none }
    public func all() -> [String: Fault] { faults }

    public func isRefusing(_ endpoint: String) -> Bool { faults[endpoint]?.mode == .refuse }

    /// Latency to add and what to do, drawing against the fault's fraction.
    func decide(for endpoint: String) -> (latencyMs: Int, action: FaultAction) {
        let fault = faults[endpoint] ?? .none
        let latency = fault.latencyMs ?? 0
        if let fraction = fault.fraction, Double(generator.next() >> 11) / Double(1 << 53) >= fraction {
            return (latency, .proceed)
        }
        switch fault.mode {
        case .none, .refuse: return (latency, .proceed)
        case .unavailable: return (latency, .unavailable)
        case .rateLimited: return (latency, .rateLimited(retryAfterSeconds: fault.retryAfterSeconds ?? 1))
        case .hang: return (latency, .hang(seconds: fault.hangSeconds ?? 60))
        case .error: return (latency, .error(code: fault.errorCode ?? "unknown"))
        }
    }
}

/// A small seeded generator, so a fractional fault is repeatable.
struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
