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

enum ConstantTime {
    /// Compares without an early exit on the first differing byte.
    static func equal(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        var difference = UInt8(lhs.count == rhs.count ? 0 : 1)
        let length = max(lhs.count, rhs.count)
        for index in 0..<length {
            let left = index < lhs.count ? lhs[index] : 0
            let right = index < rhs.count ? rhs[index] : 0
            difference |= left ^ right
        }
        return difference == 0
    }
}
