import Hummingbird
import SwitchboardCore

/// Requires `Authorization: Bearer <key>` with one of the configured keys, compared in constant time.
struct APIKeyAuthenticator<Context: RequestContext>: RouterMiddleware {
    let keys: [Secret]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer ") else {
            throw APIError(.unauthorized, "send Authorization: Bearer <api key>")
        }
        let presented = Array(header.utf8.dropFirst(7))
        // Check every key, so the time taken says nothing about which one nearly matched.
        var matched = false
        for key in keys { matched = ConstantTime.equal(presented, Array(key.value.utf8)) || matched }
        guard matched else { throw APIError(.unauthorized, "the API key is not valid") }
        return try await next(request, context)
    }
}
