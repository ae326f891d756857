/// What one gateway instance tells the others sharing its store about an account: its circuit is open, or the
/// provider asked for a pause (Retry-After), until these instants.
public struct AccountHold: Sendable, Hashable {
    public var openUntil: Instant?
    public var retryAfterUntil: Instant?

    public init(openUntil: Instant? = nil, retryAfterUntil: Instant? = nil) {
        self.openUntil = openUntil
        self.retryAfterUntil = retryAfterUntil
    }

    public var isEmpty: Bool { openUntil == nil && retryAfterUntil == nil }
}
