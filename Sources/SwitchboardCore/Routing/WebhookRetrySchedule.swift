/// When to try an outbound webhook delivery again: immediately, then 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h (Svix's
/// schedule), honouring a longer `Retry-After`. Pure: the caller supplies the clock.
public enum WebhookRetrySchedule {
    /// Delay before attempt number `attempt` (1-based), in seconds; the first is immediate.
    public static let delays: [Int] = [0, 5, 300, 1800, 7200, 18000, 36000, 36000]

    public static var maxAttempts: Int { delays.count }

    /// Seconds to wait after `attemptsMade` failed attempts, or nil when the schedule is spent.
    public static func delayAfter(attemptsMade: Int, retryAfterSeconds: Int? = nil) -> Int? {
        guard attemptsMade >= 1, attemptsMade < delays.count else { return nil }
        return max(delays[attemptsMade], retryAfterSeconds ?? 0)
    }
}

/// How a webhook receiver's answer is taken.
public enum WebhookAnswer: Sendable, Hashable {
    case delivered
    /// 410 Gone: the endpoint asked never to be called again.
    case disable
    case retry(retryAfterSeconds: Int?)

    /// 2xx is success; redirects count as failures.
    public static func classify(status: Int?, retryAfterSeconds: Int?) -> WebhookAnswer {
        guard let status else { return .retry(retryAfterSeconds: nil) }
        if (200..<300).contains(status) { return .delivered }
        if status == 410 { return .disable }
        return .retry(retryAfterSeconds: status == 429 || status == 503 ? retryAfterSeconds : nil)
    }
}
