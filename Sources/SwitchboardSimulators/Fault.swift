/// A fault switch for one simulated endpoint (a Kaleyra pod or a Klaros deployment). Settable while running.
public struct Fault: Sendable, Codable, Equatable {
    public enum Mode: String, Sendable, Codable {
        case none
        /// Answer 503.
        case unavailable
        /// Answer 429 with `Retry-After: retryAfterSeconds`.
        case rateLimited = "rate_limited"
        /// Close the listening socket: connections are refused.
        case refuse
        /// Read the request, then answer nothing for `hangSeconds`.
        case hang
        /// Answer with the provider error `errorCode` (e.g. "E13008", "131026").
        case error
    }

    public var mode: Mode
    public var retryAfterSeconds: Int?
    public var hangSeconds: Int?
    public var errorCode: String?
    /// Apply `mode` to this fraction of requests (0...1); the rest succeed.
    public var fraction: Double?
    /// Added before every answer.
    public var latencyMs: Int?

    public init(
        mode: Mode, retryAfterSeconds: Int? = nil, hangSeconds: Int? = nil, errorCode: String? = nil,
        fraction: Double? = nil, latencyMs: Int? = nil
    ) {
        self.mode = mode
        self.retryAfterSeconds = retryAfterSeconds
        self.hangSeconds = hangSeconds
        self.errorCode = errorCode
        self.fraction = fraction
        self.latencyMs = latencyMs
    }

    public static let none = Fault(mode: .none)
    public static let unavailable = Fault(mode: .unavailable)
    public static let refuse = Fault(mode: .refuse)
    public static func rateLimited(retryAfterSeconds: Int) -> Fault { Fault(mode: .rateLimited, retryAfterSeconds: retryAfterSeconds) }
    public static func hang(seconds: Int = 60) -> Fault { Fault(mode: .hang, hangSeconds: seconds) }
    public static func error(_ code: String) -> Fault { Fault(mode: .error, errorCode: code) }
    public static func latency(ms: Int) -> Fault { Fault(mode: .none, latencyMs: ms) }
}

/// What a request handler should do once latency has been applied.
enum FaultAction: Sendable, Equatable {
    case proceed
    case unavailable
    case rateLimited(retryAfterSeconds: Int)
    case hang(seconds: Int)
    case error(code: String)
}
