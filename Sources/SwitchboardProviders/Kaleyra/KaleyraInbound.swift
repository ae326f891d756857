import Foundation
import SwitchboardCore

/// Kaleyra's callbacks: `/inbound/kaleyra/{account}/status` (message status) and `/receive` (customer messages),
/// GET with query parameters or POST with a form or JSON body. Kaleyra signs nothing, so both require the account's
/// `inboundToken` when it has one.
extension KaleyraProvider {
    public var inboundRoutes: [InboundRoute] {
        [InboundRoute(event: "status", methods: [.get, .post]), InboundRoute(event: "receive", methods: [.get, .post])]
    }

    public func receive(_ request: InboundRequest, account: Account) throws(InboundRefusal) -> InboundReply {
        let fields = Self.fields(request)
        if let token = KaleyraSettings(account).inboundToken?.value {
            guard let presented = fields["token"], ConstantTime.equal(Array(presented.utf8), Array(token.utf8)) else {
                throw .unauthorized("missing or wrong token")
            }
        }
        if request.event == "status" {
            guard let id = fields["id"], !id.isEmpty, let word = fields["status"], !word.isEmpty else {
                throw .invalid("id and status are required")
            }
            return .events([.status(.init(
                providerMessageId: id, status: Self.status(word), providerWord: word, timestamp: nil,
                eventKey: "\(id):\(word.lowercased())"))])
        }
        let customer = try InboundEvent.customer(fields["from"])
        let eventKey = fields["id"] ?? "\(customer):\(fields["created_at"] ?? ""):\(fields["body"] ?? "")"
        return .events([.message(.init(
            customer: customer, line: account.from, text: fields["body"], type: fields["type"] ?? "text",
            name: fields["name"], mediaURL: fields["media_url"].flatMap { $0.isEmpty ? nil : $0 },
            providerMessageId: fields["id"], timestamp: fields["created_at"], eventKey: eventKey))])
    }

    /// Kaleyra's status words: `0` and `NOT-SENT` mean failed.
    static func status(_ word: String) -> MessageStatus? {
        switch word.lowercased() {
        case "sent", "submitted", "accepted": .sent
        case "delivered": .delivered
        case "read", "seen": .read
        case "failed", "0", "not-sent", "undelivered", "rejected": .failed
        default: nil
        }
    }

    /// Query parameters, then a form or JSON body over them.
    static func fields(_ request: InboundRequest) -> [String: String] {
        var fields = request.query
        guard request.method == .post else { return fields }
        if (request.contentType ?? "").contains("json") {
            for (key, value) in JSONValue.parse(request.body)?.object ?? [:] {
                if let text = value.text { fields[key] = text }
            }
        } else {
            for (key, value) in FormEncoding.decode(String(decoding: request.body, as: UTF8.self)) { fields[key] = value }
        }
        return fields
    }
}
