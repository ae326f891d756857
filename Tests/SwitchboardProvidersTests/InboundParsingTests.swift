import Crypto
import Foundation
import SwitchboardCore
import SwitchboardProviders
import Testing

/// Each adapter's callbacks read into `InboundEvent`s, with no sockets: the request is built here.
@Suite struct InboundParsingTests {
    let cloud = CloudAPIProvider(catalog: TestSupport.cloudCatalog, client: TestSupport.client)
    let kaleyra = KaleyraProvider(catalog: TestSupport.kaleyraCatalog, client: TestSupport.client)
    let klaros = KlarosProvider(catalog: TestSupport.klarosCatalog, client: TestSupport.client)

    let cloudAccount = Account(
        id: "cloud", provider: "cloud-api", apiKey: Secret("t"), from: "109000000000001",
        baseURL: "https://graph.facebook.com", webhookSecret: Secret("app-secret"),
        settings: AccountSettings(["verifyToken": "verify-me"]))

    static func signature(_ body: [UInt8], secret: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Data(secret.utf8)))
        return "sha256=" + mac.map { String(format: "%02x", $0) }.joined()
    }

    func post(_ body: String, signature: String?, event: String? = nil) -> InboundRequest {
        InboundRequest(
            method: .post, event: event, query: [:],
            headers: signature.map { ["x-hub-signature-256": $0] } ?? [:], contentType: "application/json",
            body: Array(body.utf8))
    }

    @Test func theHandshakeEchoesTheChallengeOnlyForTheRightToken() throws {
        func handshake(_ query: [String: String]) throws(InboundRefusal) -> InboundReply {
            try cloud.receive(
                InboundRequest(method: .get, event: nil, query: query, headers: [:], contentType: nil, body: []),
                account: cloudAccount)
        }
        let good = ["hub.mode": "subscribe", "hub.verify_token": "verify-me", "hub.challenge": "1158201444"]
        #expect(try handshake(good) == .challenge("1158201444"))
        var wrongToken = good
        wrongToken["hub.verify_token"] = "guess"
        #expect(throws: InboundRefusal.self) { try handshake(wrongToken) }
        var wrongMode = good
        wrongMode["hub.mode"] = "unsubscribe"
        #expect(throws: InboundRefusal.self) { try handshake(wrongMode) }
        #expect(throws: InboundRefusal.self) { try handshake([:]) }
        let noToken = Account(
            id: "cloud", provider: "cloud-api", apiKey: Secret("t"), from: "1", baseURL: "https://x")
        #expect(throws: InboundRefusal.self) {
            try cloud.receive(
                InboundRequest(method: .get, event: nil, query: good, headers: [:], contentType: nil, body: []),
                account: noToken)
        }
    }

    @Test func aNotificationNeedsTheAppSecretsSignatureOverTheExactBytes() throws {
        let body = #"{"object":"whatsapp_business_account","entry":[]}"#
        let signature = Self.signature(Array(body.utf8), secret: "app-secret")
        #expect(try cloud.receive(post(body, signature: signature), account: cloudAccount) == .events([]))
        for bad in [nil, "sha256=00", Self.signature(Array(body.utf8), secret: "other"), signature.uppercased() + "0"] {
            #expect(throws: InboundRefusal.unauthorized("missing or bad X-Hub-Signature-256")) {
                try cloud.receive(post(body, signature: bad), account: cloudAccount)
            }
        }
        let spaced = #"{"object": "whatsapp_business_account","entry":[]}"#
        #expect(throws: InboundRefusal.self) { try cloud.receive(post(spaced, signature: signature), account: cloudAccount) }
    }

    @Test func statusesAndMessagesAcrossEntriesAndChangesBecomeEvents() throws {
        let body = """
            {"object":"whatsapp_business_account","entry":[
              {"id":"W1","changes":[{"field":"messages","value":{"messaging_product":"whatsapp",
                "metadata":{"display_phone_number":"15550000000","phone_number_id":"109000000000001"},
                "statuses":[{"id":"wamid.A","status":"delivered","timestamp":"1764700000","recipient_id":"15551234567"},
                            {"id":"wamid.B","status":"failed","timestamp":"1764700001","recipient_id":"15551234568",
                             "errors":[{"code":131047,"title":"Re-engagement message"}]},
                            {"status":"read"}]}}]},
              {"id":"W1","changes":[{"field":"messages","value":{
                "metadata":{"phone_number_id":"109000000000001"},
                "contacts":[{"profile":{"name":"Ana"},"wa_id":"15551234567"}],
                "messages":[{"from":"15551234567","id":"wamid.IN","timestamp":"1764700002","type":"text",
                             "text":{"body":"hello"}}]}}]}]}
            """
        let reply = try cloud.receive(post(body, signature: Self.signature(Array(body.utf8), secret: "app-secret")), account: cloudAccount)
        #expect(reply == .events([
            .status(.init(providerMessageId: "wamid.A", status: .delivered, providerWord: "delivered",
                          timestamp: "1764700000", eventKey: "wamid.A:delivered")),
            .status(.init(providerMessageId: "wamid.B", status: .failed, providerWord: "failed",
                          timestamp: "1764700001", eventKey: "wamid.B:failed")),
            .message(.init(customer: "15551234567", line: "109000000000001", text: "hello", type: "text", name: "Ana",
                           mediaURL: nil, providerMessageId: "wamid.IN", timestamp: "1764700002", eventKey: "wamid.IN")),
        ]))
    }

    @Test func aCustomerNumberThatIsNotE164IsRefused() {
        let body = #"{"entry":[{"changes":[{"value":{"messages":[{"from":"abc","id":"x","type":"text"}]}}]}]}"#
        #expect(throws: InboundRefusal.self) {
            try cloud.receive(post(body, signature: Self.signature(Array(body.utf8), secret: "app-secret")), account: cloudAccount)
        }
    }

    @Test func onlyTheMethodsAndSubPathsAnAdapterServesAreTaken() {
        let get = InboundRequest(method: .get, event: nil, query: [:], headers: [:], contentType: nil, body: [])
        #expect(throws: InboundRefusal.methodNotAllowed(allowed: [.post])) {
            try klaros.accept(get, account: cloudAccount)
        }
        #expect(throws: InboundRefusal.unknownEvent) {
            try kaleyra.accept(post("{}", signature: nil, event: "other"), account: cloudAccount)
        }
        #expect(throws: InboundRefusal.unknownEvent) {
            try cloud.accept(post("{}", signature: nil, event: "status"), account: cloudAccount)
        }
    }

    /// Each provider's own words; a word another provider uses means nothing here unless this one uses it too.
    @Test(arguments: [
        ("kaleyra", "sent", MessageStatus?.some(.sent)), ("kaleyra", "DELIVERED", .delivered), ("kaleyra", "0", .failed),
        ("kaleyra", "NOT-SENT", .failed), ("kaleyra", "queued", nil),
        ("klaros", "read", .read), ("klaros", "0", nil), ("klaros", "failed", .failed),
        ("cloud-api", "sent", .sent), ("cloud-api", "delivered", .delivered), ("cloud-api", "read", .read),
        ("cloud-api", "failed", .failed), ("cloud-api", "NOT-SENT", nil), ("cloud-api", "deleted", nil),
    ])
    func statusWordsAreEachProvidersOwn(provider: String, word: String, expected: MessageStatus?) throws {
        let status: MessageStatus?
        switch provider {
        case "kaleyra":
            let request = InboundRequest(
                method: .get, event: "status", query: ["id": "m1", "status": word], headers: [:], contentType: nil, body: [])
            let account = Account(id: "k", provider: "kaleyra", apiKey: Secret("k"), baseURL: "https://x")
            guard case .events(let events) = try kaleyra.receive(request, account: account),
                  case .status(let report) = events.first else { Issue.record("no status"); return }
            status = report.status
        case "klaros":
            let body = #"{"id":"e1","type":"message.status","data":{"wa_message_id":"w1","status":"\#(word)"}}"#
            let request = InboundRequest(
                method: .post, event: nil, query: [:],
                headers: ["x-klaros-signature": Self.signature(Array(body.utf8), secret: "app-secret")],
                contentType: "application/json", body: Array(body.utf8))
            guard case .events(let events) = try klaros.receive(request, account: cloudAccount),
                  case .status(let report) = events.first else { Issue.record("no status"); return }
            status = report.status
        default:
            let body = #"{"entry":[{"changes":[{"value":{"statuses":[{"id":"w1","status":"\#(word)"}]}}]}]}"#
            guard case .events(let events) = try cloud.receive(
                post(body, signature: Self.signature(Array(body.utf8), secret: "app-secret")), account: cloudAccount),
                  case .status(let report) = events.first else { Issue.record("no status"); return }
            status = report.status
        }
        #expect(status == expected)
    }
}
