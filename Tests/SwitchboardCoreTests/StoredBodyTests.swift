import SwitchboardCore
import Testing

/// The stored form of a message body, which the queue workers read back, on Core's JSON parser and writer.
@Suite struct StoredBodyTests {
    static let bodies: [MessageBody] = [
        .text("hello"),
        .text(#"quotes " and \ backslash, a/slash, tab\#t, नमस्ते, 👋"#),
        .template(.init(name: "order_update", language: "en_US", params: ["a,b", "ünïcode", ""])),
        .template(.init(name: "promo", language: "en")),
    ]

    @Test(arguments: bodies)
    func aBodyReadsBackAsItWasStored(body: MessageBody) {
        #expect(MessageBody(stored: body.stored) == body)
    }

    /// Rows written before this codec, by JSONEncoder with sorted keys.
    @Test func rowsWrittenByTheEarlierCodableFormReadTheSame() {
        #expect(MessageBody(stored: #"{"text":"hi"}"#) == .text("hi"))
        #expect(
            MessageBody(stored: #"{"template":{"language":"en","name":"promo","params":["x"]}}"#)
                == .template(.init(name: "promo", language: "en", params: ["x"])))
    }

    @Test(arguments: ["", "{", "[]", #"{"template":{"name":"x"}}"#, #"{"text":7}"#, #"{"other":"x"}"#])
    func anythingElseIsUnreadable(stored: String) {
        #expect(MessageBody(stored: stored) == nil)
    }
}
