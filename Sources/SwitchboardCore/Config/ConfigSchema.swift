/// The keys gateway.json may use, section by section, so that a typo (`"sessionWindows"`) is an error with its JSON
/// path instead of a setting silently left at its default.
public indirect enum ConfigSchema: Sendable {
    /// An object with exactly these keys (each optional here; required ones are checked where they are decoded).
    case object([String: ConfigSchema])
    /// An object whose keys are data (pod names, say), each value of one shape.
    case map(ConfigSchema)
    case array(ConfigSchema)
    /// A string, or an object of the given shape (a route target is an id or `{account, weight}`).
    case stringOr(ConfigSchema)
    /// Any scalar, or anything not described further.
    case value

    /// Every key that `value` (a `JSONSerialization` tree) has and this schema does not, as JSON paths.
    public func unknownKeys(in value: Any, at path: String = "$") -> [String] {
        switch (self, value) {
        case (.object(let keys), let object as [String: Any]):
            return object.keys.sorted().flatMap { key -> [String] in
                let child = path + "." + key
                guard let schema = keys[key] else { return [child] }
                return schema.unknownKeys(in: object[key] as Any, at: child)
            }
        case (.map(let schema), let object as [String: Any]):
            return object.keys.sorted().flatMap { schema.unknownKeys(in: object[$0] as Any, at: path + "." + $0) }
        case (.array(let schema), let array as [Any]):
            return array.enumerated().flatMap { schema.unknownKeys(in: $1, at: "\(path)[\($0)]") }
        case (.stringOr(let schema), let object as [String: Any]):
            return schema.unknownKeys(in: object, at: path)
        default:
            // Wrong types are reported by decoding, with the same path.
            return []
        }
    }

    /// The routing sections Core decodes: `accounts`, `routes` and `policy`.
    public static let routingSections: [String: ConfigSchema] = [
        // Each account's keys depend on its provider; the loader checks them (`AccountSettingsSchema`).
        "accounts": .array(.value),
        "routes": .array(.object([
            "name": .value, "strategy": .value, "failover": .value, "policy": policy,
            "match": .object(["countryCodes": .value, "prefixes": .value, "kind": .value]),
            "targets": .array(.stringOr(.object(["account": .value, "weight": .value]))),
        ])),
        "policy": policy,
    ]

    static let policy = ConfigSchema.object([
        "attemptTimeoutMs": .value, "deadlineMs": .value, "maxAttempts": .value, "retriesPerAccount": .value,
        "backoff": .object(["baseMs": .value, "maxMs": .value]),
        "circuitBreaker": .object(["failureThreshold": .value, "cooldownMs": .value]),
        "retryBudget": .object(["percent": .value, "minConcurrent": .value]),
        "onAmbiguous": .value, "sessionWindow": .value, "pacingMaxWaitMs": .value,
    ])
}
