import NIOConcurrencyHelpers
import SwitchboardCore

/// A provider that answers from a script and records every request, for engine and pipeline tests that need no
/// sockets. Each account plays its own script in order; when a script runs out, the account accepts.
public final class FakeProvider: Provider {
    /// One provider request as the gateway made it.
    public struct Call: Sendable, Hashable {
        public var account: String
        public var recipients: [String]
        public var body: MessageBody
        public var callbackURL: String?
        public var at: Instant?
        /// The time the gateway gave the provider to answer.
        public var timeout: Duration
    }

    /// What the account answers to one request, for every recipient in it.
    public enum Answer: Sendable, Hashable {
        case accept(status: String = "accepted")
        case fail(ProviderFailure)
        /// The clock moves by this much during the request, then the account answers.
        indirect case after(milliseconds: Int, Answer)

        public static var accept: Answer { .accept() }
        public static func fail(_ failureClass: FailureClass, code: String? = nil, retryAfterMs: Int? = nil) -> Answer {
            .fail(ProviderFailure(failureClass, providerCode: code, message: "scripted \(failureClass.rawValue)", retryAfterMs: retryAfterMs))
        }
    }

    private struct State {
        var scripts: [String: [Answer]] = [:]
        var calls: [Call] = []
        var nextId = 0
    }

    public let name: String
    public let capabilities: ProviderCapabilities
    private let clock: ManualClock?
    private let state = NIOLockedValueBox(State())

    /// - Parameter clock: when given, `.after` answers move it, so a test can give a request a duration.
    public init(name: String = "fake", maxBatch: Int = 100, clock: ManualClock? = nil) {
        self.name = name
        self.clock = clock
        capabilities = ProviderCapabilities(
            maxBatch: maxBatch, maxTextLength: 4096, supportsTemplates: true, supportsTemplateListing: false,
            supportsNumberListing: false)
    }

    /// Appends answers to an account's script.
    public func script(_ account: String, _ answers: Answer...) {
        state.withLockedValue { $0.scripts[account, default: []] += answers }
    }

    /// The account answers `answer` to its next `times` requests, replacing its script.
    public func always(_ account: String, _ answer: Answer, times: Int = 1000) {
        state.withLockedValue { $0.scripts[account] = Array(repeating: answer, count: times) }
    }

    public func clearScript(_ account: String) { state.withLockedValue { $0.scripts[account] = nil } }

    public var calls: [Call] { state.withLockedValue { $0.calls } }

    public func calls(to account: String) -> [Call] { calls.filter { $0.account == account } }

    public func callbackURL(publicURL: String, account: Account) -> String? {
        publicURL + "/inbound/\(name)/\(account.id)"
    }

    public func send(_ request: SendRequest, account: Account, timeout: Duration) async -> [RecipientResult] {
        let (answer, id) = state.withLockedValue { state -> (Answer, Int) in
            state.calls.append(Call(
                account: account.id, recipients: request.recipients.map(\.e164), body: request.body,
                callbackURL: request.callbackURL, at: clock?.now(), timeout: timeout))
            state.nextId += 1
            let answer = state.scripts[account.id]?.isEmpty == false ? state.scripts[account.id]!.removeFirst() : .accept
            return (answer, state.nextId)
        }
        return request.recipients.enumerated().map { offset, recipient in
            RecipientResult(recipient: recipient, outcome: outcome(of: answer, id: "fake-\(id)-\(offset)"))
        }
    }

    private func outcome(of answer: Answer, id: String) -> RecipientResult.Outcome {
        switch answer {
        case .accept(let status): return .accepted(providerMessageId: id, status: status)
        case .fail(let failure): return .failed(failure)
        case .after(let milliseconds, let answer):
            clock?.advance(by: milliseconds)
            return outcome(of: answer, id: id)
        }
    }
}
