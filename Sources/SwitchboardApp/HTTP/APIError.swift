import Foundation
import Hummingbird
import SwitchboardCore

/// An error answered to an app: an HTTP status and `{"error": {"code", "message", …}}`. Codes are a closed set.
public struct APIError: HTTPResponseError, Sendable {
    public enum Code: String, Sendable, CaseIterable {
        case invalidRequest = "invalid_request"
        case invalidRecipient = "invalid_recipient"
        case invalidContent = "invalid_content"
        case needsTemplate = "needs_template"
        case optedOut = "opted_out"
        case providerError = "provider_error"
        case noRouteAvailable = "no_route_available"
        case statusUnknown = "status_unknown"
        case unauthorized
        case forbidden
        case notFound = "not_found"
        case methodNotAllowed = "method_not_allowed"
        case payloadTooLarge = "payload_too_large"
        case idempotencyKeyReused = "idempotency_key_reused"
        case idempotencyInProgress = "idempotency_in_progress"
        case storeUnavailable = "store_unavailable"
        case unsupportedMediaType = "unsupported_media_type"
        case internalError = "internal_error"

        public var status: HTTPResponse.Status {
            switch self {
            case .invalidRequest, .invalidRecipient: .badRequest
            case .invalidContent, .idempotencyKeyReused: .unprocessableContent
            case .needsTemplate, .optedOut, .idempotencyInProgress: .conflict
            case .providerError: .badGateway
            case .noRouteAvailable, .storeUnavailable: .serviceUnavailable
            case .unsupportedMediaType: .unsupportedMediaType
            case .statusUnknown: .gatewayTimeout
            case .unauthorized: .unauthorized
            case .forbidden: .forbidden
            case .notFound: .notFound
            case .methodNotAllowed: .methodNotAllowed
            case .payloadTooLarge: .contentTooLarge
            case .internalError: .internalServerError
            }
        }
    }

    /// What a 503 `store_unavailable` asks the app to wait before trying again.
    public static let storeRetryAfterSeconds = 2

    public var code: Code
    public var message: String
    /// Extra members of the error object (providerCode, attempts, needsTemplate, path …).
    public var details: [String: JSONValue]

    public init(_ code: Code, _ message: String, details: [String: JSONValue] = [:]) {
        self.code = code
        self.message = message
        self.details = details
    }

    public var status: HTTPResponse.Status { code.status }

    public var body: JSONValue {
        var error = details
        error["code"] = .string(code.rawValue)
        error["message"] = .string(message)
        return .object(["error": .object(error)])
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers: HTTPFields = [.contentType: "application/json"]
        if code == .unauthorized { headers[.wwwAuthenticate] = "Bearer" }
        if code == .storeUnavailable { headers[.retryAfter] = "\(Self.storeRetryAfterSeconds)" }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body.encoded())))
    }
}

extension APIError.Code {
    /// The one place a message's error becomes an HTTP error.
    init(_ error: MessageError) {
        self = switch error {
        case .invalidRequest: .invalidRequest
        case .invalidRecipient: .invalidRecipient
        case .invalidContent: .invalidContent
        case .needsTemplate: .needsTemplate
        case .optedOut: .optedOut
        case .providerError, .expired, .deliveryFailed: .providerError
        case .noRouteAvailable: .noRouteAvailable
        case .statusUnknown: .statusUnknown
        case .interrupted: .internalError
        case .internalError: .internalError
        }
    }
}
