import ArgumentParser
import AsyncHTTPClient
import Foundation
import NIOCore

struct SendCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "send", abstract: "Send a message through a running gateway and print the outcome per recipient.")

    @Option(help: "Recipient(s): repeat the option or separate with commas.")
    var to: [String]

    @Option(help: "Text body (inside the 24-hour window).")
    var text: String?

    @Option(help: "Template name (any time).")
    var template: String?

    @Option(help: "Template language.")
    var language: String = "en_US"

    @Option(name: .customLong("param"), help: "Template parameter; repeat in order.")
    var params: [String] = []

    @Option(help: "Pin an account by id or sender line.")
    var from: String?

    @Option(help: "Pin a route by name.")
    var route: String?

    @Option(help: "Gateway URL.")
    var url: String = "http://127.0.0.1:8080"

    @Option(help: "API key (default: $SWITCHBOARD_API_KEY).")
    var key: String?

    @Option(help: "Idempotency-Key header: resending with the same key never sends twice.")
    var idempotencyKey: String?

    @Flag(help: "Print the gateway's JSON answer.")
    var json = false

    func validate() throws {
        if (text == nil) == (template == nil) { throw ValidationError("give --text or --template, not both") }
    }

    func run() async throws {
        var body: [String: Any] = ["to": to.flatMap { $0.split(separator: ",").map(String.init) }]
        if let text { body["text"] = text }
        if let template { body["template"] = ["name": template, "language": language, "params": params] }
        if let from { body["from"] = from }
        if let route { body["route"] = route }
        var request = HTTPClientRequest(url: url.trimmingCharacters(in: CharacterSet(charactersIn: "/")) + "/v1/messages")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        let apiKey = key ?? ProcessInfo.processInfo.environment["SWITCHBOARD_API_KEY"] ?? ""
        request.headers.add(name: "Authorization", value: "Bearer \(apiKey)")
        if let idempotencyKey { request.headers.add(name: "Idempotency-Key", value: idempotencyKey) }
        request.body = .bytes(ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: body)))
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        let status: Int
        let data: Data
        do {
            let response = try await client.execute(request, timeout: .seconds(60))
            status = Int(response.status.code)
            data = Data(buffer: try await response.body.collect(upTo: 8 << 20))
            try await client.shutdown()
        } catch {
            try? await client.shutdown()
            printError("could not reach \(url): \(error)")
            throw ExitCode(3)
        }
        if json {
            print(String(decoding: data, as: UTF8.self))
        } else {
            print(SendResultRenderer.render(status: status, body: data))
        }
        if status >= 300 { throw ExitCode(1) }
    }
}

/// The gateway's answer as a table: one row per recipient.
enum SendResultRenderer {
    static func render(status: Int, body: Data) -> String {
        guard let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any] else {
            return "HTTP \(status): \(String(decoding: body, as: UTF8.self))"
        }
        if let error = object["error"] as? [String: Any] {
            var line = "HTTP \(status) \(error["code"] as? String ?? "error"): \(error["message"] as? String ?? "")"
            if let code = error["providerCode"] as? String { line += " [provider \(code)]" }
            if let attempts = error["attempts"] as? [[String: Any]], !attempts.isEmpty { line += "\n  attempts: " + summary(attempts) }
            return line
        }
        let rows = (object["data"] as? [[String: Any]] ?? []).map { entry -> [String] in
            let error = (entry["error"] as? [String: Any])?["code"] as? String ?? ""
            return [entry["to"] as? String ?? "", entry["status"] as? String ?? "", entry["account"] as? String ?? "-",
                    entry["id"] as? String ?? "", summary(entry["attempts"] as? [[String: Any]] ?? []), error]
        }
        let header = ["to", "status", "account", "id", "attempts", "error"]
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        return ([header] + rows).map { row in
            row.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  ")
        }.joined(separator: "\n")
    }

    static func summary(_ attempts: [[String: Any]]) -> String {
        attempts.map { attempt in
            let account = attempt["account"] as? String ?? "?"
            let outcome = attempt["errorCode"] as? String ?? attempt["outcome"] as? String ?? "?"
            return "\(account):\(outcome)"
        }.joined(separator: " → ")
    }
}
