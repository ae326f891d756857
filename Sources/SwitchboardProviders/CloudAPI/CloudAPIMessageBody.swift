import SwitchboardCore

/// The JSON body of one Cloud API send: a text, or a template with its body parameters.
enum CloudAPIMessageBody {
    static func encode(_ body: MessageBody, to recipient: PhoneNumber) -> [UInt8] {
        var json = JSONWriter()
        json.raw("{")
        json.key("messaging_product")
        json.string("whatsapp")
        json.raw(",")
        json.key("recipient_type")
        json.string("individual")
        json.raw(",")
        json.key("to")
        json.string(recipient.digits)
        json.raw(",")
        switch body {
        case .text(let text):
            json.key("type")
            json.string("text")
            json.raw(",")
            json.key("text")
            json.raw("{")
            json.key("preview_url")
            json.raw("false")
            json.raw(",")
            json.key("body")
            json.string(text)
            json.raw("}")
        case .template(let template):
            json.key("type")
            json.string("template")
            json.raw(",")
            json.key("template")
            json.raw("{")
            json.key("name")
            json.string(template.name)
            json.raw(",")
            json.key("language")
            json.raw("{")
            json.key("code")
            json.string(template.language)
            json.raw("}")
            if !template.params.isEmpty {
                json.raw(",")
                json.key("components")
                json.raw("[{")
                json.key("type")
                json.string("body")
                json.raw(",")
                json.key("parameters")
                json.raw("[")
                for (index, param) in template.params.enumerated() {
                    if index > 0 { json.raw(",") }
                    json.raw("{")
                    json.key("type")
                    json.string("text")
                    json.raw(",")
                    json.key("text")
                    json.string(param)
                    json.raw("}")
                }
                json.raw("]}]")
            }
            json.raw("}")
        }
        json.raw("}")
        return json.bytes
    }
}
