import Foundation
import SwitchboardCore

/// Where messages, attempts, status history and idempotency keys live. GRDB/SQLite today; a server database later.
public protocol MessageStore: Sendable {
    /// Claims an idempotency key for a request, or says what became of an earlier one.
    func beginIdempotent(key: String, requestHash: String, messageIds: [String], now: Date) async throws -> IdempotencyBegin
    /// Writes the messages of one request before any provider is called.
    func insert(_ messages: [NewMessage]) async throws
    /// Appends finished attempts, in one transaction.
    func record(_ attempts: [NewAttempt]) async throws
    /// Settles messages, with the attempts not yet on record, and completes the request's idempotency key, in one transaction.
    func complete(_ completions: [MessageCompletion], attempts: [NewAttempt], idempotency: IdempotencyCompletion?) async throws
    /// Gives back a key whose request never reached the store's messages (e.g. it failed validation).
    func releaseIdempotency(key: String) async throws

    func message(id: String) async throws -> StoredMessage?
    func messages(_ query: MessageQuery) async throws -> [StoredMessage]
    /// Settles messages left mid-send by a stop: those whose dispatch had started become `unknown` (they may have gone
    /// out); synchronous ones that provably never reached a provider fail as `interrupted`, and their Idempotency-Key is
    /// released so the app's retry sends them; queued ones go back to the queue.
    func recoverInterrupted(now: Date) async throws -> Recovery
    /// A small write that changes nothing, to learn whether the store takes writes again.
    func probeWrite() async throws
    /// Forgets completed idempotency keys that expired before `now`.
    func purgeIdempotency(now: Date) async throws -> Int
}

extension MessageStore {
    public func complete(_ completions: [MessageCompletion], idempotency: IdempotencyCompletion?) async throws {
        try await complete(completions, attempts: [], idempotency: idempotency)
    }
}

public struct NewMessage: Sendable, Hashable {
    public var id: String
    public var recipient: String
    public var kind: MessageKind
    /// The body as JSON text (`{"text": …}` or `{"template": …}`).
    public var body: String
    public var ref: String?
    public var ref1: String?
    public var ref2: String?
    public var createdAt: Date
    public init(id: String, recipient: String, kind: MessageKind, body: String, ref: String?, ref1: String?, ref2: String?, createdAt: Date) {
        self.id = id
        self.recipient = recipient
        self.kind = kind
        self.body = body
        self.ref = ref
        self.ref1 = ref1
        self.ref2 = ref2
        self.createdAt = createdAt
    }
}

/// What `recoverInterrupted` did.
public struct Recovery: Sendable, Hashable {
    public var unknown: Int
    public var interrupted: Int
    public var requeued: Int
    public init(unknown: Int = 0, interrupted: Int = 0, requeued: Int = 0) {
        self.unknown = unknown
        self.interrupted = interrupted
        self.requeued = requeued
    }
}

public struct NewAttempt: Sendable, Hashable {
    public var messageId: String
    public var attempt: Attempt
    public var at: Date
    public init(messageId: String, attempt: Attempt, at: Date) {
        self.messageId = messageId
        self.attempt = attempt
        self.at = at
    }
}

public struct MessageCompletion: Sendable, Hashable {
    public var messageId: String
    public var status: MessageStatus
    public var route: String?
    public var account: String?
    public var provider: String?
    public var providerMessageId: String?
    public var errorCode: MessageError?
    public var errorMessage: String?
    public var providerCode: String?
    public var at: Date
    public init(messageId: String, status: MessageStatus, route: String?, account: String?, provider: String?, providerMessageId: String?,
                errorCode: MessageError?, errorMessage: String?, providerCode: String?, at: Date) {
        self.messageId = messageId
        self.status = status
        self.route = route
        self.account = account
        self.provider = provider
        self.providerMessageId = providerMessageId
        self.errorCode = errorCode
        self.errorMessage = errorMessage
        self.providerCode = providerCode
        self.at = at
    }
}

public struct IdempotencyCompletion: Sendable, Hashable {
    public var key: String
    public var responseStatus: Int
    public var responseBody: Data
    public var expiresAt: Date
    public init(key: String, responseStatus: Int, responseBody: Data, expiresAt: Date) {
        self.key = key
        self.responseStatus = responseStatus
        self.responseBody = responseBody
        self.expiresAt = expiresAt
    }
}

public enum IdempotencyBegin: Sendable, Hashable {
    /// The key is ours: go ahead.
    case claimed
    /// The first request with this key finished: replay its answer.
    case completed(status: Int, body: Data)
    /// The first request is still running in this process.
    case inProgress
    /// The first request was cut off by a crash: these are its messages, whatever became of them.
    case interrupted(messageIds: [String])
    /// The key was used for a different request.
    case mismatch
}

public struct MessageQuery: Sendable, Hashable {
    public var to: String?
    public var status: MessageStatus?
    public var limit: Int
    public init(to: String? = nil, status: MessageStatus? = nil, limit: Int = 50) {
        self.to = to
        self.status = status
        self.limit = limit
    }
}

public struct StatusEvent: Sendable, Hashable, Codable {
    public var status: String
    public var source: String
    public var at: Date
}

public struct StoredMessage: Sendable, Hashable {
    public var id: String
    public var recipient: String
    public var kind: MessageKind
    public var body: String
    public var status: MessageStatus
    public var route: String?
    public var account: String?
    public var provider: String?
    public var providerMessageId: String?
    public var errorCode: String?
    public var errorMessage: String?
    public var providerCode: String?
    public var ref: String?
    public var ref1: String?
    public var ref2: String?
    public var createdAt: Date
    public var updatedAt: Date
    public var attempts: [Attempt]
    public var history: [StatusEvent]
}
