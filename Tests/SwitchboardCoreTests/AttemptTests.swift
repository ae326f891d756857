import Foundation
import SwitchboardCore
import Testing

/// Outcomes and decisions are enums; their words are what the API shows and the store keeps, and read back the same.
@Suite struct AttemptTests {
    static let decisions: [Attempt.Decision] = [
        .done, .hold, .failOver, .noCandidatesLeft, .retrySameAccount(afterMs: 140), .retrySameAccount(afterMs: 0),
    ] + FailureClass.allCases.map(Attempt.Decision.stop)

    @Test(arguments: decisions)
    func aDecisionReadsBackFromItsWords(decision: Attempt.Decision) {
        #expect(Attempt.Decision(text: decision.text) == decision)
    }

    @Test(arguments: [Attempt.Outcome.accepted] + FailureClass.allCases.map(Attempt.Outcome.failed))
    func anOutcomeReadsBackFromItsWords(outcome: Attempt.Outcome) {
        #expect(Attempt.Outcome(text: outcome.text) == outcome)
    }

    @Test func theWordsAreTheOnesTheAPIHasAlwaysShown() throws {
        #expect(Attempt.Decision.failOver.text == "fail over")
        #expect(Attempt.Decision.retrySameAccount(afterMs: 140).text == "retry same account in 140ms")
        #expect(Attempt.Decision.stop(.invalidRecipient).text == "stop: invalid_recipient would fail on any account")
        #expect(Attempt.Decision(text: "retry same account in xms") == nil)
        #expect(Attempt.Outcome(text: "exploded") == nil)
        let attempt = Attempt(account: "a", provider: "p", outcome: .failed(.rateLimited), durationMs: 1, decision: .failOver)
        let json = String(decoding: try JSONEncoder().encode(attempt), as: UTF8.self)
        #expect(json.contains(#""outcome":"rate_limited""#) && json.contains(#""decision":"fail over""#))
        #expect(try JSONDecoder().decode(Attempt.self, from: Data(json.utf8)) == attempt)
    }
}
