@testable import SwitchboardProviders
import AsyncHTTPClient
import NIOHTTP1
import SwitchboardCore
import Testing

@Suite struct ResponseParsingTests {
    let kaleyra = KaleyraResponseParser(catalog: TestSupport.kaleyraCatalog)
    let klaros = KlarosResponseParser(catalog: TestSupport.klarosCatalog)

    private func response(_ status: Int, _ body: String, headers: HTTPHeaders = [:]) -> ProviderResponse {
        ProviderResponse(status: status, headers: headers, body: Array(body.utf8))
    }

    @Test func kaleyraSeedSampleSuccess() {
        let seed = """
        {"id": "cc8074ae-990d-40f5-b604-11XXX9e2ab32", "type": "text", "body": "Hi, your order has been shipped",
         "createdDateTime": "2020-01-29 06:22:21+00:00", "totalCount": 1,
         "data": [{"message_id": "cc8074ae-990d-40f5-b604-115XXXe2ab32:0", "recipient": "1202XXXXXXX"}], "error": {}}
        """.replacingOccurrences(of: "1202XXXXXXX", with: "12025550123")
        let results = kaleyra.results(for: TestSupport.numbers("+12025550123"), response: response(202, seed))
        #expect(results.first?.outcome == .accepted(providerMessageId: "cc8074ae-990d-40f5-b604-115XXXe2ab32:0", status: "accepted"))
    }

    @Test func kaleyraMapsIdsByRecipientNotPosition() {
        let body = #"{"id":"r1","data":[{"message_id":"r1:1","recipient":"919800000002"},{"message_id":"r1:0","recipient":"919800000001"}],"error":{}}"#
        let results = kaleyra.results(for: TestSupport.numbers("+919800000001", "+919800000002"), response: response(202, body))
        #expect(results.map(\.outcome) == [.accepted(providerMessageId: "r1:0", status: "accepted"), .accepted(providerMessageId: "r1:1", status: "accepted")])
    }

    @Test func kaleyraTopLevelIdOnlyFallsBackToItsNumberingScheme() {
        let results = kaleyra.results(for: TestSupport.numbers("+919800000001", "+919800000002"), response: response(200, #"{"id":"abc"}"#))
        #expect(results.map(\.outcome) == [.accepted(providerMessageId: "abc:0", status: "accepted"), .accepted(providerMessageId: "abc:1", status: "accepted")])
    }

    static let kaleyraErrorBodies: [(status: Int, body: String, expected: FailureClass, code: String?)] = [
        (400, #"{"code":"E13009","message":"Invalid or in-correct input of the TO number.","error":{}}"#, .invalidRecipient, "E13009"),
        (400, #"{"error":{"to":"invalid number"}}"#, .invalidRecipient, "E13009"),
        (400, #"{"error":{"from":"invalid number"}}"#, .invalidSender, "E13008"),
        (400, #"{"code":"E413","message":"HTML tags","error":{"template_name":"html"}}"#, .unsupportedContent, "E413"),
        (400, #"{"error":{"error":"Something was wrong with params"}}"#, .invalidContent, nil),
        (401, #"{"code":"RBC001","message":"Authentication failed"}"#, .unauthorized, "RBC001"),
        (403, #"{"error":{"error":"Forbidden"}}"#, .unauthorized, nil),
        (429, #"{"error":{"error":"Too many requests"}}"#, .rateLimited, nil),
        (500, #"{"error":{"error":"Internal"}}"#, .unavailable, nil),
        (502, "<html>Bad gateway</html>", .unavailable, nil),
        (402, #"{"code":"E110","message":"insufficient balance"}"#, .unauthorized, "E110"),
    ]

    @Test(arguments: kaleyraErrorBodies)
    func kaleyraErrorBodyForms(status: Int, body: String, expected: FailureClass, code: String?) {
        let failure = kaleyra.results(for: TestSupport.numbers("+919800000001"), response: response(status, body)).first?.failure
        #expect(failure?.failureClass == expected)
        #expect(failure?.providerCode == code)
        #expect(failure?.httpStatus == status)
        #expect(failure?.message.isEmpty == false)
    }

    @Test func kaleyraRetryAfterIsKept() {
        let failure = kaleyra.results(for: TestSupport.numbers("+919800000001"), response: response(429, "{}", headers: ["Retry-After": "12"])).first?.failure
        #expect(failure?.retryAfterMs == 12_000)
    }

    @Test(arguments: [#"{"waMessageId":"wamid.A","sentStatus":"sent"}"#, #"{"data":{"waMessageId":"wamid.A","sentStatus":"sent"}}"#])
    func klarosSuccessAtTopLevelOrUnderData(body: String) {
        #expect(klaros.result(for: TestSupport.numbers("15551234567")[0], response: response(200, body)).outcome == .accepted(providerMessageId: "wamid.A", status: "sent"))
    }

    static let klarosErrorBodies: [(status: Int, body: String, expected: FailureClass, code: String?)] = [
        (409, #"{"error":"Outside the 24h window","needsTemplate":true}"#, .needsTemplate, "needsTemplate"),
        (400, #"{"error":{"message":"Re-engagement message","type":"OAuthException","code":131047,"error_data":{"details":"24h"},"fbtrace_id":"x"}}"#, .needsTemplate, "131047"),
        (400, #"{"error":{"message":"Undeliverable","code":131026}}"#, .invalidRecipient, "131026"),
        (400, #"{"error":{"message":"Boom","code":131999,"is_transient":true}}"#, .unavailable, "131999"),
        (401, #"{"error":"Unauthorized"}"#, .unauthorized, nil),
        (400, #"{"error":{"message":"token expired","code":"190"}}"#, .unauthorized, "190"),
        (503, "", .unavailable, nil),
    ]

    @Test(arguments: klarosErrorBodies)
    func klarosErrorBodyForms(status: Int, body: String, expected: FailureClass, code: String?) {
        let failure = klaros.result(for: TestSupport.numbers("15551234567")[0], response: response(status, body)).failure
        #expect(failure?.failureClass == expected)
        #expect(failure?.providerCode == code)
    }

    @Test func transportErrorsSplitUnavailableFromAmbiguous() {
        #expect(TransportFailure.classify(HTTPClientError.connectTimeout).failureClass == .unavailable)
        #expect(TransportFailure.classify(HTTPClientError.deadlineExceeded).failureClass == .ambiguous)
        #expect(TransportFailure.classify(HTTPClientError.remoteConnectionClosed).failureClass == .ambiguous)
        #expect(TransportFailure.classify(HTTPClientError.readTimeout).failureClass == .ambiguous)
    }

    @Test func formEncodingEscapesReservedCharacters() {
        #expect(FormEncoding.encode([("to", "+91,+44"), ("body", "a b&c=d/é")]) == "to=%2B91%2C%2B44&body=a%20b%26c%3Dd%2F%C3%A9")
    }
}

@Suite struct HTMLTagTests {
    @Test(arguments: [("<b>x</b>", true), ("a <<b> c", true), ("<!-- c -->", true), ("</p>", true), ("<br/>", true),
                      ("2 < 3 and 4 > 1", false), ("a <", false), ("<3 you>", false), ("x<y", false), ("plain", false)])
    func tagShapedTextIsFound(text: String, found: Bool) {
        #expect(HTMLTag.isPresent(in: text) == found)
    }
}
