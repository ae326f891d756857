import SwitchboardCore
import Testing

@Suite struct FailureClassTests {
    static let table: [(FailureClass, retrySame: Bool, another: Bool, counts: Bool)] = [
        (.invalidRecipient, false, false, false),
        (.invalidContent, false, false, false),
        (.needsTemplate, false, false, false),
        (.invalidSender, false, true, true),
        (.unauthorized, false, true, true),
        (.templateNotFound, false, true, false),
        (.rateLimited, false, true, false),
        (.unavailable, true, true, true),
        (.ambiguous, false, false, true),
    ]

    @Test(arguments: table)
    func eachClassSaysWhatMayHappenNext(failureClass: FailureClass, retrySame: Bool, another: Bool, counts: Bool) {
        #expect(failureClass.mayRetrySameAccount == retrySame)
        #expect(failureClass.mayTryAnotherAccount == another)
        #expect(failureClass.countsAgainstAccount == counts)
    }

    @Test func recipientScopedFailuresNeverCountAgainstTheAccount() {
        #expect(!ProviderFailure(.rateLimited, providerCode: "131056", message: "pair rate", scope: .recipient).countsAgainstAccount)
        #expect(!ProviderFailure(.unavailable, message: "x", scope: .recipient).countsAgainstAccount)
        #expect(ProviderFailure(.unavailable, message: "x").countsAgainstAccount)
    }

    @Test func secretsAreRedactedInDescriptions() {
        let secret = Secret("uni_live_abc")
        #expect("\(secret)" == "<redacted>")
        #expect(String(reflecting: secret) == "<redacted>")
        #expect(!"\(Account(id: "a", provider: "klaros", apiKey: secret, baseURL: "http://x"))".contains("uni_live_abc"))
    }
}
