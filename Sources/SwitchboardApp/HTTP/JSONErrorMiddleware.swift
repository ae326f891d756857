import Hummingbird
import Logging
import NIOCore

/// Every error leaves as `{"error": {"code", "message"}}`: Hummingbird's own (404, 405, 413) and unexpected ones.
struct JSONErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            throw error
        } catch let error as MethodNotAllowed {
            throw error
        } catch is NIOTooManyBytesError {
            throw APIError(.payloadTooLarge, "the request body is over 1 MiB")
        } catch let error as HTTPError {
            switch error.status {
            case .notFound: throw APIError(.notFound, "no such resource: \(request.method) \(request.uri.path)")
            case .methodNotAllowed: throw APIError(.methodNotAllowed, "\(request.method) is not allowed on \(request.uri.path)")
            case .contentTooLarge: throw APIError(.payloadTooLarge, "the request body is over 1 MiB")
            case .badRequest: throw APIError(.invalidRequest, error.body ?? "bad request")
            default: throw APIError(.internalError, error.body ?? "\(error.status)")
            }
        } catch {
            context.logger.error("unhandled error", metadata: ["error.type": "\(String(reflecting: type(of: error)))"])
            throw APIError(.internalError, "internal error")
        }
    }
}
