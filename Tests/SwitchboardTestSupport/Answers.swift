import Foundation

/// The gateway's answers as an app reads them, decoded with `Decodable`: a test that reads a field the API does not
/// give, or of another type, fails at the decode instead of comparing `nil`s.
public enum Answers {
    /// `{"data": [...]}`.
    public struct List<Entry: Decodable & Sendable>: Decodable, Sendable {
        public var data: [Entry]
    }

    /// `{"error": {...}}`.
    public struct Failure: Decodable, Sendable {
        public var error: ErrorBody
    }

    public struct ErrorBody: Decodable, Sendable, Equatable {
        public var code: String
        public var message: String
        public var providerCode: String?
        public var needsTemplate: Bool?
    }

    /// One message, as `POST /v1/messages` and `GET /v1/messages[/{id}]` show it: openapi.json's `Message`, which
    /// requires only `id`, `to` and `status` (a send's answer leaves out what only a lookup shows).
    public struct Message: Decodable, Sendable {
        public var id: String
        public var to: String
        public var status: String
        public var kind: String?
        public var route: String?
        public var account: String?
        public var provider: String?
        public var providerMessageId: String?
        public var ref: String?
        public var ref1: String?
        public var ref2: String?
        public var attempts: [Attempt]?
        public var error: ErrorBody?
        public var createdAt: String?
        public var updatedAt: String?
    }

    public struct Attempt: Decodable, Sendable, Equatable {
        public var account: String
        public var provider: String
        public var outcome: String
        public var durationMs: Int
        public var decision: String
        public var errorCode: String?
        public var providerCode: String?
        public var message: String?
    }

    public static func decode<T: Decodable>(_ type: T.Type, from bytes: some Sequence<UInt8>) throws -> T {
        try JSONDecoder().decode(type, from: Data(bytes))
    }
}
