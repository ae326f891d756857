/// A provider account: one provider, at one pod (or deployment), sending from one line.
public struct Account: Sendable, Hashable, Identifiable {
    public let id: String
    public let provider: String
    /// Kaleyra's regional pod ("in", "sg", "eu", "na"); nil for single-deployment providers.
    public let pod: String?
    /// Data-residency region used by same-region failover; from the pod's catalog entry or the account.
    public let region: String?
    /// Kaleyra's account SID; unused by Klaros.
    public let sid: String?
    public let apiKey: Secret
    /// The sender line: an E.164 number (Kaleyra) or a phoneNumberId (Klaros). Nil means the provider's default.
    public let from: String?
    /// Where requests go: the pod's domain from the catalog unless the account overrides it.
    public let baseURL: String
    public let webhookSecret: Secret?
    /// Kaleyra signs nothing: this token goes into the callback URL and is required on its inbound endpoints.
    public let inboundToken: Secret?
    /// Kaleyra: send with GET and query parameters instead of a form-encoded POST.
    public let useGET: Bool
    /// Kaleyra: add `source=sandbox` (the shared trial sender).
    public let sandbox: Bool
    /// Messages per second this line may send; the catalog's per-line figure unless the account sets it.
    public let ratePerSecond: Double?

    public init(
        id: String, provider: String, pod: String? = nil, region: String? = nil, sid: String? = nil,
        apiKey: Secret, from: String? = nil, baseURL: String, webhookSecret: Secret? = nil, inboundToken: Secret? = nil,
        useGET: Bool = false, sandbox: Bool = false, ratePerSecond: Double? = nil
    ) {
        self.id = id
        self.provider = provider
        self.pod = pod
        self.region = region
        self.sid = sid
        self.apiKey = apiKey
        self.from = from
        self.baseURL = baseURL
        self.webhookSecret = webhookSecret
        self.inboundToken = inboundToken
        self.useGET = useGET
        self.sandbox = sandbox
        self.ratePerSecond = ratePerSecond
    }
}
