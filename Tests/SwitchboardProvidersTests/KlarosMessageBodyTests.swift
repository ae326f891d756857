import Foundation
@testable import SwitchboardProviders
import SwitchboardCore
import Testing

@Suite struct KlarosMessageBodyTests {
    /// What JSONEncoder writes for the same body, the form the body had before it was written by hand.
    private struct Reference: Encodable {
        struct Template: Encodable { var name: String; var language: String; var params: [String]? }
        var to: String
        var from: String?
        var text: String?
        var template: Template?
    }

    static let bodies: [(MessageBody, String?)] = [
        (.text("hello \"there\" / \\ \n\u{01} é"), "+15550001111"),
        (.text("plain"), nil),
        (.template(.init(name: "order_update", language: "en_US", params: ["A/1", "quote\""])), "line-2"),
        (.template(.init(name: "welcome", language: "pt_BR", params: [])), nil),
    ]

    @Test(arguments: bodies.indices)
    func bodyMatchesJSONEncoderWithSortedKeys(index: Int) throws {
        let (body, from) = Self.bodies[index]
        let recipient = try PhoneNumber("+15551234567")
        var reference = Reference(to: recipient.digits, from: from)
        switch body {
        case .text(let text): reference.text = text
        case .template(let template):
            reference.template = .init(name: template.name, language: template.language, params: template.params.isEmpty ? nil : template.params)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let expected = String(decoding: try encoder.encode(reference), as: UTF8.self)
        let written = String(decoding: KlarosMessageBody.encode(SendRequest(recipients: [recipient], body: body), to: recipient, from: from), as: UTF8.self)
        #expect(written == expected)
    }
}
