import SwitchboardCore

/// Klaros's signed events on `POST /inbound/klaros/{account}`: `{id, type, created_at, data}` with
/// `X-Klaros-Signature` over the raw body, keyed with the account's `webhookSecret`.
extension KlarosProvider {
    public var inboundRoutes: [InboundRoute] { [InboundRoute(event: nil, methods: [.post])] }

    public func receive(_ request: InboundRequest, account: Account) throws(InboundRefusal) -> InboundReply {
        let secret = account.webhookSecret?.value ?? ""
        guard KlarosSignature.isValid(header: request.header("X-Klaros-Signature"), body: request.body, secret: secret) else {
            throw .unauthorized("missing or bad X-Klaros-Signature")
        }
        guard let event = JSONValue.parse(request.body), let type = event["type"]?.string else {
            throw .invalid("expected an event {id, type, created_at, data}")
        }
        let data = event["data"] ?? .object([:])
        let createdAt = event["created_at"]?.text
        // Without an event id, a replay is recognised by what it is about.
        let eventId = event["id"]?.text.flatMap { $0.isEmpty ? nil : $0 }
        let waMessageId = data["wa_message_id"]?.string
        func fallbackKey(_ customer: String) -> String {
            "\(type):\(waMessageId ?? "-"):\(customer)" + (waMessageId == nil ? ":\(createdAt ?? "-")" : "")
        }
        switch type {
        case "message.received":
            let customer = try InboundEvent.customer(data["from"]?.string)
            return .events([.message(.init(
                customer: customer, line: data["to"]?.string ?? account.from, text: data["text"]?.string,
                type: data["type"]?.string ?? "text", name: data["name"]?.string, mediaURL: data["media_url"]?.string,
                providerMessageId: waMessageId, timestamp: createdAt, eventKey: eventId ?? fallbackKey(customer)))])
        case "message.status":
            guard let id = waMessageId ?? data["id"]?.string, let word = data["status"]?.string else {
                throw .invalid("message.status needs data.wa_message_id and data.status")
            }
            return .events([.status(.init(
                providerMessageId: id, status: Self.status(word), providerWord: word, timestamp: createdAt,
                eventKey: eventId ?? "\(id):\(word)"))])
        case "message.optout":
            let customer = try InboundEvent.customer(data["from"]?.string)
            return .events([.optOut(.init(customer: customer, timestamp: createdAt, eventKey: eventId ?? fallbackKey(customer)))])
        default:
            return .events([])
        }
    }

    /// The WhatsApp status words Klaros passes through.
    static func status(_ word: String) -> MessageStatus? {
        switch word.lowercased() {
        case "sent", "accepted": .sent
        case "delivered": .delivered
        case "read": .read
        case "failed", "undelivered", "rejected": .failed
        default: nil
        }
    }
}
