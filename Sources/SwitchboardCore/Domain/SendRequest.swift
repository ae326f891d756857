/// A normalized send: one body to one or more recipients through one account.
public struct SendRequest: Sendable, Hashable {
    public var recipients: [PhoneNumber]
    public var body: MessageBody
    public var ref: String?
    public var ref1: String?
    public var ref2: String?
    /// Where the provider should report delivery status, when it supports a per-request callback.
    public var callbackURL: String?

    public init(
        recipients: [PhoneNumber], body: MessageBody, ref: String? = nil, ref1: String? = nil,
        ref2: String? = nil, callbackURL: String? = nil
    ) {
        self.recipients = recipients
        self.body = body
        self.ref = ref
        self.ref1 = ref1
        self.ref2 = ref2
        self.callbackURL = callbackURL
    }

    /// The same send for a subset of its recipients.
    public func with(recipients: [PhoneNumber]) -> SendRequest {
        var copy = self
        copy.recipients = recipients
        return copy
    }
}
