/// How one attempt's outcome changes an account's health. Recipient and content errors never count against it.
public enum HealthRules {
    /// Default pause after a 429 that names no Retry-After.
    public static let defaultRetryAfterMs = 1000

    public static func apply(_ outcome: RecipientResult.Outcome, to health: inout AccountHealth, now: Instant) {
        guard case .failed(let failure) = outcome else {
            health.breaker.recordHealthy()
            return
        }
        if failure.failureClass == .rateLimited {
            if failure.scope == .account { health.rateLimitedUntil = now + (failure.retryAfterMs ?? defaultRetryAfterMs) }
            health.breaker.releaseProbe()
        } else if failure.countsAgainstAccount {
            health.breaker.recordFailure(at: now)
        } else {
            // The account answered sensibly about this message: it works.
            health.breaker.recordHealthy()
        }
    }
}
