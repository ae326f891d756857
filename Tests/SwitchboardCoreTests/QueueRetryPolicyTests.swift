import Foundation
import SwitchboardCore
import Testing

@Suite struct QueueRetryPolicyTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)
    static func failure(_ failureClass: FailureClass) -> ProviderFailure { ProviderFailure(failureClass, message: "x") }

    enum Expected: Sendable, Equatable { case requeueAfter(TimeInterval, counts: Bool), expire, settle }

    static let cases: [(name: String, outcome: SendPlan.Outcome?, drained: Bool, attempts: Int, validity: TimeInterval, expected: Expected)] = [
        ("unavailable everywhere", .exhausted(lastFailure: failure(.unavailable), reason: .everyCandidateFailed), false, 0, 3600, .requeueAfter(1, counts: true)),
        ("rate limited, third try", .exhausted(lastFailure: failure(.rateLimited), reason: .everyCandidateFailed), false, 2, 3600, .requeueAfter(4, counts: true)),
        ("every circuit open", .noRoute(.routeHasNoAccount), false, 0, 3600, .requeueAfter(1, counts: true)),
        ("budget ran out before any answer", .exhausted(lastFailure: nil, reason: .retryBudgetSpent), false, 5, 3600, .requeueAfter(32, counts: true)),
        ("the backoff is capped", .exhausted(lastFailure: failure(.unavailable), reason: .everyCandidateFailed), false, 40, 86_400, .requeueAfter(300, counts: true)),
        ("the next try would fall past validity", .exhausted(lastFailure: failure(.unavailable), reason: .everyCandidateFailed), false, 3, 5, .expire),
        ("exactly at expiry is too late", .exhausted(lastFailure: failure(.unavailable), reason: .everyCandidateFailed), false, 0, 1, .expire),
        ("invalid recipient is final", .rejected(failure(.invalidRecipient)), false, 0, 3600, .settle),
        ("exhausted on unauthorized is final", .exhausted(lastFailure: failure(.unauthorized), reason: .everyCandidateFailed), false, 0, 3600, .settle),
        ("held is final", .held(account: Fixtures.klaros, failure: failure(.ambiguous)), false, 0, 3600, .settle),
        ("accepted", .accepted(account: Fixtures.klaros, providerMessageId: "w", status: "sent"), false, 0, 3600, .settle),
        ("unroutable", nil, false, 0, 3600, .settle),
        ("cut short by shutdown: again at once, not a try", .exhausted(lastFailure: failure(.invalidSender), reason: .everyCandidateFailed), true, 7, 1,
         .requeueAfter(0, counts: false)),
        ("shutdown after an answer changes nothing", .rejected(failure(.needsTemplate)), true, 0, 3600, .settle),
    ]

    @Test(arguments: cases)
    func eachRoundEndsInItsDecision(
        name: String, outcome: SendPlan.Outcome?, drained: Bool, attempts: Int, validity: TimeInterval, expected: Expected
    ) {
        let decision = QueueRetryPolicy.decide(
            outcome, drained: drained, attempts: attempts, now: Self.now, expiresAt: Self.now.addingTimeInterval(validity))
        let actual: Expected = switch decision {
        case .requeue(let at, let counts): .requeueAfter(at.timeIntervalSince(Self.now), counts: counts)
        case .expire: .expire
        case .settle: .settle
        }
        #expect(actual == expected, "\(name)")
    }
}
