/// gateway.json's routing sections as written (after `${VAR}` expansion), before validation.
struct GatewayFile: Decodable, Sendable {
    /// The keys every account may use; the rest belong to its provider (`AccountSettingsSchema`).
    static let commonAccountKeys: Set<String> = [
        "id", "provider", "pod", "region", "apiKey", "from", "baseURL", "webhookSecret", "ratePerSecond",
    ]

    struct AccountEntry: Decodable, Sendable {
        var id: String
        var provider: String
        var pod: String?
        var region: String?
        var apiKey: String?
        var from: String?
        var baseURL: String?
        var webhookSecret: String?
        var ratePerSecond: Double?
    }

    struct MatchEntry: Decodable, Sendable {
        var countryCodes: [String]?
        var prefixes: [String]?
        var kind: MessageKind?
    }

    /// A target is an account id, or `{"account", "weight"}`.
    struct TargetEntry: Decodable, Sendable {
        var account: String
        var weight: Double?

        private enum CodingKeys: String, CodingKey { case account, weight }

        init(from decoder: Decoder) throws {
            if let id = try? decoder.singleValueContainer().decode(String.self) {
                account = id
                weight = nil
                return
            }
            let container = try decoder.container(keyedBy: CodingKeys.self)
            account = try container.decode(String.self, forKey: .account)
            weight = try container.decodeIfPresent(Double.self, forKey: .weight)
        }
    }

    struct RouteEntry: Decodable, Sendable {
        var name: String
        var match: MatchEntry?
        var strategy: Route.Strategy?
        var targets: [TargetEntry]
        var failover: Route.FailoverScope?
        var policy: PolicyPatch?
    }

    var accounts: [AccountEntry]
    var routes: [RouteEntry]
    var policy: PolicyPatch?
}
