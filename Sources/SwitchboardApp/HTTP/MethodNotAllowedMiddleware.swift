import HTTPTypes
import Hummingbird

/// Added after every route, so it wraps only the router's not-found responder: a request for a known path with a
/// method the path does not take is answered 405 with `Allow`, not 404.
struct MethodNotAllowedMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Each route's path segments (nil for a `{parameter}`) and the methods it takes.
    private let routes: [(segments: [String?], methods: [String])]
    /// A narrower answer for paths whose methods depend on more than the route (an inbound adapter's own methods).
    private let refine: @Sendable (_ path: [String]) -> [String]?

    init(routes: [Router<Context>.RouteDescription], refine: @escaping @Sendable (_ path: [String]) -> [String]? = { _ in nil }) {
        self.refine = refine
        var byPath: [String: (segments: [String?], methods: Set<String>)] = [:]
        for route in routes {
            let text = route.path.description
            let segments = text.split(separator: "/").map { $0.contains("{") || $0 == "*" ? nil : String($0) }
            byPath[text, default: (segments, [])].methods.insert(route.method.rawValue)
        }
        self.routes = byPath.values.map { ($0.segments, $0.methods.sorted()) }
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            let path = request.uri.path.split(separator: "/").map(String.init)
            let allowed = routes.filter { route in
                route.segments.count == path.count && zip(route.segments, path).allSatisfy { $0 == nil || $0 == $1 }
            }.flatMap(\.methods)
            guard !allowed.isEmpty else { throw error }
            let allow = MethodNotAllowed.allowHeader(refine(path) ?? allowed)
            throw MethodNotAllowed(
                error: APIError(
                    .methodNotAllowed, "\(request.method) is not allowed on \(request.uri.path); use \(allow)"),
                allow: allow)
        }
    }
}

/// A 405 with its `Allow` header.
struct MethodNotAllowed: HTTPResponseError {
    let error: APIError
    let allow: String
    var status: HTTPResponse.Status { .methodNotAllowed }

    /// `Allow` for these methods: HEAD wherever GET is taken (RouterOptions.autoGenerateHeadEndpoints), sorted.
    static func allowHeader(_ methods: [String]) -> String {
        var all = Set(methods)
        if all.contains(HTTPRequest.Method.get.rawValue) { all.insert(HTTPRequest.Method.head.rawValue) }
        return all.sorted().joined(separator: ", ")
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = try error.response(from: request, context: context)
        response.headers[.allow] = allow
        return response
    }
}
