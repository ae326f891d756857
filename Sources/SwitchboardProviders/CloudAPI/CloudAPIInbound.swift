import SwitchboardCore

/// Meta's webhooks on `/inbound/cloud-api/{account}`: the `GET` subscription handshake (`hub.mode`,
/// `hub.verify_token`, `hub.challenge`) and `POST` notifications signed with `X-Hub-Signature-256` over the raw body,
/// keyed with the app secret (the account's `webhookSecret`).
extension CloudAPIProvider {
    public var inboundRoutes: [InboundRoute] { [InboundRoute(event: nil, methods: [.get, .post])] }

    public func receive(_ request: InboundRequest, account: Account) throws(InboundRefusal) -> InboundReply {
        if request.method == .get {
            guard let expected = CloudAPISettings(account).verifyToken?.value, request.query["hub.mode"] == "subscribe",
                  let presented = request.query["hub.verify_token"],
                  ConstantTime.equal(Array(presented.utf8), Array(expected.utf8))
            else { throw .forbidden("verification refused: wrong hub.mode or hub.verify_token") }
            return .challenge(request.query["hub.challenge"] ?? "")
        }
        let secret = account.webhookSecret?.value ?? ""
        guard HexHMACSignature.isValid(header: request.header("X-Hub-Signature-256"), body: request.body, secret: secret)
        else { throw .unauthorized("missing or bad X-Hub-Signature-256") }
        guard let payload = JSONValue.parse(request.body), payload.object != nil else {
            throw .invalid("expected a notification {object, entry: [{changes: [{value}]}]}")
        }
        var events: [InboundEvent] = []
        for entry in payload["entry"]?.array ?? [] {
            for change in entry["changes"]?.array ?? [] {
                guard let value = change["value"] else { continue }
                events += Self.statuses(in: value) + (try Self.messages(in: value, account: account))
            }
        }
        return .events(events)
    }

    /// `value.statuses[]`; an item without an id or a status is skipped, as Meta would resend the whole batch.
    static func statuses(in value: JSONValue) -> [InboundEvent] {
        (value["statuses"]?.array ?? []).compactMap { item in
            guard let id = item["id"]?.string, !id.isEmpty, let word = item["status"]?.string, !word.isEmpty else {
                return nil
            }
            return .status(.init(
                providerMessageId: id, status: status(word), providerWord: word, timestamp: item["timestamp"]?.text,
                eventKey: "\(id):\(word.lowercased())"))
        }
    }

    /// `value.messages[]`, with the sender's profile name from `value.contacts[]`.
    static func messages(in value: JSONValue, account: Account) throws(InboundRefusal) -> [InboundEvent] {
        let contacts = value["contacts"]?.array ?? []
        let line = value["metadata"]?["phone_number_id"]?.string ?? account.from
        var events: [InboundEvent] = []
        for item in value["messages"]?.array ?? [] {
            let from = item["from"]?.string
            let customer = try InboundEvent.customer(from)
            let type = item["type"]?.string ?? "text"
            let id = item["id"]?.string
            let name = contacts.first { $0["wa_id"]?.string == from }?["profile"]?["name"]?.string
            let text = item["text"]?["body"]?.string ?? item[type]?["caption"]?.string
            let timestamp = item["timestamp"]?.text
            events.append(.message(.init(
                customer: customer, line: line, text: text, type: type, name: name, mediaURL: nil, providerMessageId: id,
                timestamp: timestamp, eventKey: id ?? "\(customer):\(timestamp ?? "-"):\(text ?? "")")))
        }
        return events
    }

    /// The Cloud API's status words.
    static func status(_ word: String) -> MessageStatus? {
        switch word.lowercased() {
        case "sent": .sent
        case "delivered": .delivered
        case "read": .read
        case "failed": .failed
        default: nil
        }
    }
}
