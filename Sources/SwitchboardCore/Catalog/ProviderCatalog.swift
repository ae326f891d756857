/// A provider described as data (`providers/<name>.json`): wire format, pods, limits and the error-code table.
/// Remapping a code or adding a pod is an edit to that file.
public struct ProviderCatalog: Sendable, Codable, Hashable {
    public struct Pod: Sendable, Codable, Hashable {
        public var region: String
        public var baseURL: String
        /// Other domains seen for the same pod; informational.
        public var alternateBaseURLs: [String]?
        public init(region: String, baseURL: String, alternateBaseURLs: [String]? = nil) {
            self.region = region
            self.baseURL = baseURL
            self.alternateBaseURLs = alternateBaseURLs
        }
    }

    public struct Limits: Sendable, Codable, Hashable {
        public var maxBatch: Int
        public var refMaxLength: Int
        public var textMaxLength: Int
        /// Default messages per second per sender line.
        public var messagesPerSecond: Double
        public init(maxBatch: Int, refMaxLength: Int, textMaxLength: Int, messagesPerSecond: Double) {
            self.maxBatch = maxBatch
            self.refMaxLength = refMaxLength
            self.textMaxLength = textMaxLength
            self.messagesPerSecond = messagesPerSecond
        }
    }

    public struct ErrorRule: Sendable, Codable, Hashable {
        public var `class`: FailureClass
        public var scope: ProviderFailure.Scope?
        public var meaning: String?
    }

    public var name: String
    /// "form" (Kaleyra) or "json" (Klaros).
    public var wireFormat: String
    /// "api-key-header" or "bearer".
    public var auth: String
    /// Empty for providers addressed only by an account's own baseURL.
    public var pods: [String: Pod]
    /// Where accounts without a pod or a baseURL of their own go (a provider with one global host).
    public var baseURL: String?
    /// Provider-only account settings an account gets unless it sets them (an API version, say).
    public var accountDefaults: [String: JSONValue]?
    public var limits: Limits
    public var supportsTemplates: Bool
    /// Provider error code → class.
    public var errors: [String: ErrorRule]
    /// Request parameter named in a keyed error body (`{"error": {"to": …}}`) → provider error code.
    public var errorParameters: [String: String]?
    /// HTTP status ("401", or a family such as "5xx") → class, for bodies that carry no known code.
    public var httpStatus: [String: FailureClass]

    public init(
        name: String, wireFormat: String, auth: String, pods: [String: Pod], limits: Limits, supportsTemplates: Bool,
        errors: [String: ErrorRule], errorParameters: [String: String]? = nil, httpStatus: [String: FailureClass],
        baseURL: String? = nil, accountDefaults: [String: JSONValue]? = nil
    ) {
        self.baseURL = baseURL
        self.accountDefaults = accountDefaults
        self.name = name
        self.wireFormat = wireFormat
        self.auth = auth
        self.pods = pods
        self.limits = limits
        self.supportsTemplates = supportsTemplates
        self.errors = errors
        self.errorParameters = errorParameters
        self.httpStatus = httpStatus
    }

    /// Where an account's requests go: its own baseURL when set, else its pod's domain.
    public func baseURL(pod: String?, override: String?) -> String? {
        if let override, !override.isEmpty { return override }
        return pod.flatMap { pods[$0.lowercased()]?.baseURL } ?? baseURL
    }

    /// The class for a provider code, if the table knows it.
    public func rule(forCode code: String) -> ErrorRule? { errors[code] }

    /// The class for an HTTP status: exact entry first, then its family ("4xx").
    public func failureClass(forStatus status: Int) -> FailureClass? {
        httpStatus[String(status)] ?? httpStatus["\(status / 100)xx"]
    }

    /// Checks what decoding cannot: positive limits, usable pod URLs, status keys.
    public func problems(file: String) -> [ConfigProblem] {
        var problems: [ConfigProblem] = []
        func add(_ path: String, _ message: String) {
            problems.append(ConfigProblem(file: file, path: path, message: message))
        }
        if let baseURL, !(baseURL.hasPrefix("https://") || baseURL.hasPrefix("http://")) {
            add("$.baseURL", "must be an http(s) URL")
        }
        if !["form", "json"].contains(wireFormat) { add("$.wireFormat", "must be \"form\" or \"json\"") }
        if !["api-key-header", "bearer"].contains(auth) { add("$.auth", "must be \"api-key-header\" or \"bearer\"") }
        if limits.maxBatch < 1 { add("$.limits.maxBatch", "must be at least 1") }
        if limits.refMaxLength < 1 { add("$.limits.refMaxLength", "must be at least 1") }
        if limits.textMaxLength < 1 { add("$.limits.textMaxLength", "must be at least 1") }
        if !(limits.messagesPerSecond > 0) { add("$.limits.messagesPerSecond", "must be positive") }
        for (id, pod) in pods.sorted(by: { $0.key < $1.key }) {
            if !(pod.baseURL.hasPrefix("https://") || pod.baseURL.hasPrefix("http://")) {
                add("$.pods.\(id).baseURL", "must be an http(s) URL")
            }
            if pod.region.isEmpty { add("$.pods.\(id).region", "must not be empty") }
        }
        for key in httpStatus.keys.sorted() {
            let isExact = Int(key).map { (100...599).contains($0) } ?? false
            let isFamily = key.count == 3 && key.hasSuffix("xx") && ("1"..."5").contains(key.prefix(1))
            if !isExact && !isFamily { add("$.httpStatus.\(key)", "must be a status such as \"429\" or a family such as \"5xx\"") }
        }
        for (parameter, code) in (errorParameters ?? [:]).sorted(by: { $0.key < $1.key }) where errors[code] == nil {
            add("$.errorParameters.\(parameter)", "names code \(code), which $.errors does not define")
        }
        return problems
    }
}
