import AsyncHTTPClient

extension HTTPClient.Configuration {
    /// How the gateway's outbound client is set up for provider calls (and webhook deliveries); `stack-floor` uses the
    /// same, so the benchmark's floor and the gateway cannot drift apart.
    public static var providerCalls: HTTPClient.Configuration {
        var configuration = HTTPClient.Configuration()
        configuration.timeout.connect = .seconds(1)
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = 64
        configuration.redirectConfiguration = .disallow
        // The gateway bootstraps no tracer, so AsyncHTTPClient would open no-op spans and set their attributes on every
        // provider request (~1% of CPU on the send path); nil skips that.
        configuration.tracing.tracer = nil
        return configuration
    }
}
