/// Where a message stands. Provider statuses only move it forward: duplicated or out-of-order callbacks never
/// take it back, and `failed` is final.
public enum MessageStatus: String, Sendable, Codable, CaseIterable, Hashable {
    /// Accepted by the gateway, waiting for a worker (queued sending).
    case queued
    /// Stored; a provider call is under way.
    case sending
    case accepted, sent, delivered, read, failed
    /// The provider may or may not have taken it (ambiguous failure, or a crash mid-send).
    case unknown

    /// Position on the ladder; `failed` and `unknown` stand outside it.
    var rank: Int? {
        switch self {
        case .queued, .sending: 0
        case .accepted: 1
        case .sent: 2
        case .delivered: 3
        case .read: 4
        case .failed, .unknown: nil
        }
    }

    public var isFinal: Bool { self == .failed || self == .read }

    /// The status after a provider reports `incoming`, or nil if the report changes nothing.
    /// A report on an `unknown` message settles it: the provider has answered the question.
    public func advanced(by incoming: MessageStatus) -> MessageStatus? {
        guard incoming != self, self != .failed else { return nil }
        if incoming == .failed { return self == .read ? nil : .failed }
        guard let to = incoming.rank else { return nil }
        guard let from = rank else { return self == .unknown ? incoming : nil }
        return to > from ? incoming : nil
    }
}
