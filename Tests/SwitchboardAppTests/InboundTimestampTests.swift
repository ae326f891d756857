import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SwitchboardCore
import Testing

/// Provider timestamps are checked before they are stored: the values here crashed the gateway (on the callback when a
/// webhook was registered, then on every send to that customer, queued sends making it a crash loop).
@Suite struct InboundTimestampTests {
    static let hostile = ["1e16", "nan", "inf", "-inf", "-1e12", "253402300800", "1e308", "-0", "1e-400", "0x10"]

    static func escaped(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
    }

    static func registerWebhook(_ client: some TestClientProtocol) async throws {
        let created = try await client.execute(
            uri: "/v1/webhooks", method: .post, headers: GatewayHarness.auth,
            body: ByteBuffer(string: #"{"url":"http://127.0.0.1:9/hook"}"#)
        ) { $0.status }
        #expect(created == .created)
    }

    /// Every read and send an app makes about `customer` still answers (no 5xx, no trap).
    static func everythingStillAnswers(_ client: some TestClientProtocol, customer: String) async throws {
        #expect(try await client.get("/v1/conversations").status == .ok)
        #expect(try await client.get("/v1/conversations/\(customer)/messages").status == .ok)
        #expect(try await client.get("/v1/messages").status == .ok)
        let sent = try await client.send(
            #"{"to":"+\#(customer)","template":{"name":"order_update","language":"en_US"}}"#)
        #expect(sent.status == .ok)
        let queued = try await client.send(#"{"to":"+\#(customer)","text":"x","mode":"queued"}"#)
        #expect(queued.status == .accepted)
    }

    @Test func hostileTimestampsAreReplacedByTheReceiveTime() async throws {
        try await GatewayHarness.withRouter { client, _, store in
            try await Self.registerWebhook(client)
            for (index, value) in Self.hostile.enumerated() {
                let customer = "9198777000\(String(format: "%02d", index))"
                let kaleyra =
                    "/inbound/kaleyra/kaleyra-in/receive?token=\(GatewayHarness.kaleyraToken)&id=k\(index)"
                    + "&from=%2B\(customer)&body=hi&created_at=\(Self.escaped(value))"
                let before = Date()
                #expect(try await client.execute(uri: kaleyra, method: .get) { $0.status } == .ok, "\(value)")
                let klaros = InboundRouteTests.klarosEvent(
                    "message.received", ["from": customer, "text": "hi", "wa_message_id": "wamid.t\(index)"],
                    createdAt: value)
                #expect(
                    try await InboundRouteTests.postKlaros(client, klaros, signature: InboundRouteTests.sign(klaros))
                        == .ok)
                let states = try await store.conversationStates(customers: [customer])
                for (account, at) in states[customer]?.lastInbound ?? [:] {
                    #expect(at >= before.addingTimeInterval(-1) && at <= Date(), "\(value) on \(account)")
                }
                #expect(states[customer]?.lastInbound.keys.sorted() == ["kaleyra-in", "klaros"], "\(value)")
                try await Self.everythingStillAnswers(client, customer: customer)
            }
        }
    }

    @Test func aStatusStampedFarAheadLeavesTheMessageReadable() async throws {
        try await GatewayHarness.withRouter { client, _, _ in
            try await Self.registerWebhook(client)
            let sent = try await client.send(#"{"to":"+12025550123","text":"hi"}"#)
            let entry = try #require(sent.json.entries.first)
            let id = try #require(entry["id"] as? String)
            let providerId = try #require(entry["providerMessageId"] as? String)
            for value in ["1e16", "nan", "-1e12"] {
                let event = InboundRouteTests.klarosEvent(
                    "message.status", ["wa_message_id": providerId, "status": "delivered"], createdAt: value)
                #expect(
                    try await InboundRouteTests.postKlaros(client, event, signature: InboundRouteTests.sign(event))
                        == .ok)
            }
            let message = try await client.get("/v1/messages/\(id)")
            #expect(message.status == .ok)
            #expect((message.json["data"] as? [String: Any])?["status"] as? String == "delivered")
            #expect(try await client.get("/v1/messages").status == .ok)
        }
    }

    @Test func aLateCallbackNeverMovesAWindowBack() async throws {
        try await GatewayHarness.withRouter { client, _, store in
            let now = Int(Date().timeIntervalSince1970)
            for (id, at) in [("late1", now - 60), ("late2", now - 30 * 3600)] {
                let uri =
                    "/inbound/kaleyra/kaleyra-in/receive?token=\(GatewayHarness.kaleyraToken)&id=\(id)&from=%2B919877700099&body=hi&created_at=\(at)"
                #expect(try await client.execute(uri: uri, method: .get) { $0.status } == .ok)
            }
            let window = try #require(
                try await store.conversationStates(customers: ["919877700099"])["919877700099"]?.lastInbound[
                    "kaleyra-in"])
            #expect(Int(window.timeIntervalSince1970) == now - 60)
        }
    }

    /// A property test over generated values for every inbound field that is parsed as a time, a number or an id.
    @Test func generatedFieldValuesNeverBreakTheGateway() async throws {
        try await GatewayHarness.withRouter { client, _, _ in
            try await Self.registerWebhook(client)
            var generator = FieldValues(seed: 2026_12_02)
            func value() -> String { generator.next() }
            var statuses: [Int: Int] = [:]
            for round in 0..<150 {
                let customer = "91987771\(String(format: "%04d", round))"
                let receive =
                    "/inbound/kaleyra/kaleyra-in/receive?token=\(GatewayHarness.kaleyraToken)&id=\(Self.escaped(value()))"
                    + "&from=\(Self.escaped(round % 7 == 0 ? value() : "+" + customer))&body=\(Self.escaped(value()))"
                    + "&created_at=\(Self.escaped(value()))"
                let status =
                    "/inbound/kaleyra/kaleyra-in/status?token=\(GatewayHarness.kaleyraToken)&id=\(Self.escaped(value()))"
                    + "&status=\(Self.escaped(round % 3 == 0 ? "delivered" : value()))"
                let numeric = generator.number()
                let createdAt: Any = round % 2 == 0 ? value() : (numeric.isFinite ? numeric : 1e300)
                let klaros = InboundRouteTests.klarosEvent(
                    ["message.received", "message.status", "message.optout"][round % 3],
                    [
                        "from": round % 5 == 0 ? value() : customer, "text": value(), "wa_message_id": value(),
                        "status": value(),
                    ],
                    id: round % 4 == 0 ? nil : value(), createdAt: createdAt)
                for answer in [
                    try await client.execute(uri: receive, method: .get) { Int($0.status.code) },
                    try await client.execute(uri: status, method: .get) { Int($0.status.code) },
                    Int(
                        try await InboundRouteTests.postKlaros(
                            client, klaros, signature: InboundRouteTests.sign(klaros)
                        ).code),
                ] { statuses[answer, default: 0] += 1 }
                if round % 25 == 0 { try await Self.everythingStillAnswers(client, customer: customer) }
            }
            #expect(statuses.keys.allSatisfy { $0 < 500 }, "\(statuses)")
            #expect(statuses[200, default: 0] > 150, "\(statuses)")
            try await Self.everythingStillAnswers(client, customer: "919877710000")
        }
    }
}

/// Values a provider could put in a time, number or id field: edge numbers, garbage, long runs, non-ASCII text.
struct FieldValues {
    var random: SplitMix64
    init(seed: UInt64) { random = SplitMix64(seed: seed) }

    mutating func number() -> Double { Double(bitPattern: random.next()) }

    mutating func next() -> String {
        switch random.next() % 10 {
        case 0: return InboundTimestampTests.hostile[Int(random.next() % UInt64(InboundTimestampTests.hostile.count))]
        case 1: return String(number())
        case 2: return String(Int64(bitPattern: random.next()))
        case 3: return String(repeating: "9", count: Int(random.next() % 600))
        case 4: return ""
        case 5: return "2026-\(random.next() % 20)-\(random.next() % 40)T\(random.next() % 30):00:00Z"
        case 6:
            return String(
                (0..<Int(random.next() % 40)).map { _ in Character(Unicode.Scalar(UInt8(32 + random.next() % 95))) })
        case 7:
            return String(
                (0..<Int(random.next() % 12)).compactMap { _ in
                    Unicode.Scalar(UInt32(0x80 + random.next() % 0x2000)).map(Character.init)
                })
        case 8: return "+\(1_000_000_000 + random.next() % 9_000_000_000)"
        default: return String(Double(random.next() % 4_000_000_000) + random.nextUnit())
        }
    }
}
