import AsyncHTTPClient
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
#if canImport(Glibc)
import Glibc
#endif
import SwitchboardCore

/// What came back from one provider request.
struct ProviderResponse: Sendable {
    var status: Int
    var headers: HTTPHeaders
    var body: [UInt8]

    var retryAfterMs: Int? { RetryAfter.milliseconds(headers.first(name: "retry-after")) }
}

/// Performs one provider request and turns transport errors into `unavailable` (nothing was sent)
/// or `ambiguous` (the provider may have acted on it).
struct ProviderExchange: Sendable {
    let client: HTTPClient
    let logger: Logger
    static let maxBodyBytes = 1 << 20

    func perform(_ request: HTTPClientRequest, timeout: Duration) async -> Result<ProviderResponse, ProviderFailure> {
        let timeAmount = TimeAmount.nanoseconds(Int64(timeout.components.seconds) * 1_000_000_000 + timeout.components.attoseconds / 1_000_000_000)
        let deadline = NIODeadline.now() + timeAmount
        do {
            let response = try await client.execute(request, deadline: deadline, logger: logger)
            let body = try await response.body.collect(upTo: Self.maxBodyBytes)
            return .success(ProviderResponse(status: Int(response.status.code), headers: response.headers, body: Array(buffer: body)))
        } catch {
            return .failure(TransportFailure.classify(error))
        }
    }
}

enum TransportFailure {
    /// Connect-phase errors mean the request never left; anything later may have been acted on.
    static func classify(_ error: any Error) -> ProviderFailure {
        if let error = error as? HTTPClientError {
            switch error {
            case .connectTimeout, .tlsHandshakeTimeout, .getConnectionFromPoolTimeout, .alreadyShutdown,
                 .invalidURL, .emptyHost, .emptyScheme, .socksHandshakeTimeout, .httpProxyHandshakeTimeout:
                return ProviderFailure(.unavailable, message: "could not connect: \(error)")
            default:
                return ProviderFailure(.ambiguous, message: "no complete answer: \(error)")
            }
        }
        if error is NIOConnectionError {
            return ProviderFailure(.unavailable, message: "connection refused or unreachable")
        }
        if let error = error as? ChannelError, case .connectTimeout = error {
            return ProviderFailure(.unavailable, message: "connect timeout")
        }
        if let error = error as? IOError, [ECONNREFUSED, ENETUNREACH, EHOSTUNREACH].contains(error.errnoCode) {
            return ProviderFailure(.unavailable, message: "connection refused or unreachable")
        }
        if error is NIOCore.NIOTooManyBytesError {
            return ProviderFailure(.ambiguous, message: "response body too large")
        }
        return ProviderFailure(.ambiguous, message: "no complete answer: \(type(of: error))")
    }
}
