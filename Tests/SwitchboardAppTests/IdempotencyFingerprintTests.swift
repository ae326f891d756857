import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@testable import SwitchboardApp

/// Fields used to be joined with U+001E and params with U+001F, unescaped, so requests that differ could share a
/// fingerprint and the second was answered with the first's reply instead of 422, and never sent.
@Suite struct IdempotencyFingerprintTests {
    static func fingerprint(_ json: String) throws -> String {
        try SendMessageRequest.parse(Array(json.utf8)).fingerprint
    }

    static let differing: [(String, String)] = [
        (
            #"{"to":"+15551234567","template":{"name":"order_update","language":"en_US","params":["a\u001fb"]}}"#,
            #"{"to":"+15551234567","template":{"name":"order_update","language":"en_US","params":["a","b"]}}"#
        ),
        (
            #"{"to":"+15551234567","text":"x","ref":"a\u001eref1=b"}"#,
            #"{"to":"+15551234567","text":"x","ref":"a","ref1":"b"}"#
        ),
        (
            #"{"to":"+15551234567","template":{"name":"t|en","language":"x"}}"#,
            #"{"to":"+15551234567","template":{"name":"t","language":"en|x"}}"#
        ),
        (#"{"to":"+15551234567","text":"x","ref":"\u0000"}"#, #"{"to":"+15551234567","text":"x"}"#),
        (#"{"to":"+15551234567","text":"x"}"#, #"{"to":"+15551234567","text":"x","mode":"queued"}"#),
        (
            #"{"to":"+15551234567","text":"x","mode":"queued","validityMs":5000}"#,
            #"{"to":"+15551234567","text":"x","mode":"queued"}"#
        ),
    ]

    @Test(arguments: differing)
    func differentRequestsNeverShareAFingerprint(first: String, second: String) throws {
        #expect(try Self.fingerprint(first) != Self.fingerprint(second))
    }

    @Test func theSameRequestSpelledDifferentlyKeepsItsFingerprint() throws {
        #expect(
            try Self.fingerprint(#"{"to":"+15551234567","text":"x","ref":"r"}"#)
                == Self.fingerprint(#"{ "ref": "r", "text": "x", "to": "15551234567" }"#))
    }

    @Test func aCollidingSecondRequestWithTheSameKeyIs422() async throws {
        try await GatewayHarness.withRouter { client, host, _ in
            var headers = GatewayHarness.auth
            headers[HTTPField.Name("Idempotency-Key")!] = "same-key"
            let first = try await client.send(Self.differing[0].0, headers: headers)
            #expect(first.status == .ok)
            let second = try await client.send(Self.differing[0].1, headers: headers)
            #expect(second.status == .unprocessableContent)
            #expect(second.json.errorCode == "idempotency_key_reused")
            let calls = await host.requests.all()
            #expect(calls.count == 1, "\(calls)")
        }
    }
}
