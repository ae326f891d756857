import ArgumentParser
import Foundation
import SwitchboardApp
import SwitchboardCore

struct RouteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "route", abstract: "Explain which account would carry a message, and why. Sends nothing.")

    @OptionGroup var options: ConfigOptions

    @Option(help: "Recipient, E.164 (e.g. 919812345678 or +919812345678).")
    var to: String

    @Option(help: "text or template.")
    var kind: String = "text"

    @Option(help: "Pin an account by id or sender line.")
    var from: String?

    @Option(help: "Pin a route by name.")
    var route: String?

    @Option(help: "A number in [0, 1) for the weighted pick (default: 0, the first slice).")
    var draw: Double = 0

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    func run() async throws {
        let loaded = try options.load()
        let number: PhoneNumber
        do { number = try PhoneNumber(to) } catch {
            printError("--to: \(error.description)")
            throw ExitCode(2)
        }
        guard let messageKind = MessageKind(rawValue: kind) else {
            printError("--kind: must be text or template")
            throw ExitCode(2)
        }
        let explanation = RoutePlanner(table: loaded.table).explain(
            to: number, kind: messageKind, from: from, route: route, draw: draw, health: [String: AccountHealth](), now: Instant(milliseconds: 0))
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(explanation), as: UTF8.self))
        } else {
            print(RouteTableRenderer.render(explanation))
        }
        if explanation.wouldUse == nil { throw ExitCode(1) }
    }
}

/// A readable table of a route explanation.
enum RouteTableRenderer {
    static func render(_ explanation: RouteExplanation) -> String {
        var lines: [String] = []
        let country = [explanation.callingCode.map { "+\($0)" }, explanation.country].compactMap { $0 }.joined(separator: " ")
        lines.append("to:      \(explanation.to)\(country.isEmpty ? "" : "  (\(country))")  kind: \(explanation.kind.rawValue)")
        lines.append("route:   \(explanation.route ?? "none") — \(explanation.reason)")
        if let strategy = explanation.strategy, let failover = explanation.failover {
            lines.append("strategy: \(strategy.rawValue), failover: \(failover.rawValue)")
        }
        guard !explanation.candidates.isEmpty else { return lines.joined(separator: "\n") }
        let header = ["#", "account", "provider", "pod", "region", "weight", "circuit", "status"]
        let rows = explanation.candidates.map { candidate in
            [String(candidate.order), candidate.account, candidate.provider, candidate.pod ?? "-", candidate.region ?? "-",
             candidate.weight.map { String(format: "%g", $0) } ?? "-", candidate.circuit.rawValue,
             candidate.available ? (candidate.account == explanation.wouldUse ? "would use" : "fallback") : "skip: \(candidate.skipReason ?? "")"]
        }
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        func format(_ row: [String]) -> String {
            String(row.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  ").reversed().drop(while: { $0 == " " }).reversed())
        }
        lines.append("")
        lines.append(format(header))
        lines.append(format(widths.map { String(repeating: "-", count: $0) }))
        lines += rows.map(format)
        if explanation.wouldUse == nil { lines.append("\nno_route_available: every candidate would be skipped") }
        return lines.joined(separator: "\n")
    }
}
