import SwitchboardCore

enum Fixtures {
    static func account(_ id: String, provider: String = "kaleyra", region: String? = nil, from: String) -> Account {
        Account(id: id, provider: provider, pod: region, region: region, apiKey: Secret("k"), from: from, baseURL: "http://127.0.0.1:1",
                settings: AccountSettings(["sid": "SID"]))
    }

    static let inAccount = account("kaleyra-in", region: "in", from: "+919000000001")
    static let euAccount = account("kaleyra-eu", region: "eu", from: "+449000000001")
    static let sgAccount = account("kaleyra-sg", region: "sg", from: "+6590000001")
    static let klaros = account("klaros", provider: "klaros", from: "123456789012345")

    static func table(_ routes: [Route], policy: Policy = Policy()) -> RouteTable {
        RouteTable(accounts: [inAccount, euAccount, sgAccount, klaros], routes: routes, policy: policy)
    }

    static func number(_ raw: String) -> PhoneNumber { try! PhoneNumber(raw) }

    static func failure(_ failureClass: FailureClass, retryAfterMs: Int? = nil) -> RecipientResult.Outcome {
        .failed(ProviderFailure(failureClass, providerCode: "X", message: "simulated", retryAfterMs: retryAfterMs))
    }

    static let accepted = RecipientResult.Outcome.accepted(providerMessageId: "m1", status: "accepted")
    static let healthy: [String: AccountHealth] = [:]
}
