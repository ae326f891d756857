/// A provider account: one provider, at one pod (or deployment), sending from one line.
public struct Account: Sendable, Hashable, Identifiable {
    public let id: String
    public let provider: String
    /// The provider's regional pod, from its catalog; nil for single-deployment providers.
    public let pod: String?
    /// Data-residency region used by same-region failover; from the pod's catalog entry or the account.
    public let region: String?
    public let apiKey: Secret
    /// The sender line, as the provider names it (an E.164 number, a phone-number id). Nil means the provider's default.
    public let from: String?
    /// Where requests go: the pod's domain from the catalog unless the account overrides it.
    public let baseURL: String
    public let webhookSecret: Secret?
    /// Messages per second this line may send; the catalog's per-line figure unless the account sets it.
    public let ratePerSecond: Double?
    /// The keys only this account's provider reads, checked by its adapter when the config is loaded.
    public let settings: AccountSettings

    public init(
        id: String, provider: String, pod: String? = nil, region: String? = nil, apiKey: Secret, from: String? = nil,
        baseURL: String, webhookSecret: Secret? = nil, ratePerSecond: Double? = nil, settings: AccountSettings = AccountSettings()
    ) {
        self.id = id
        self.provider = provider
        self.pod = pod
        self.region = region
        self.apiKey = apiKey
        self.from = from
        self.baseURL = baseURL
        self.webhookSecret = webhookSecret
        self.ratePerSecond = ratePerSecond
        self.settings = settings
    }
}
