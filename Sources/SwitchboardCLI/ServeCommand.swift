import ArgumentParser
import Hummingbird
import Logging
import SwitchboardApp

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Run the gateway's HTTP server (and the provider simulators, if gateway.json has a `simulators` section).")

    @OptionGroup var options: ConfigOptions

    @Option(help: "Log level: trace, debug, info, notice, warning, error.")
    var logLevel: String = "info"

    func run() async throws {
        let loaded = try options.load()
        var logger = Logger(label: "switchboard") { GatewayLogHandler(label: $0) }
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        if loaded.apiKeys.isEmpty { logger.warning("apiKeys is empty: every /v1 request will be refused") }
        let app = try await buildApplication(configuration: loaded, logger: logger)
        logger.info("switchboard listening", metadata: ["address": "http://\(loaded.server.host):\(loaded.server.port)", "config": "\(options.config)"])
        try await app.runService()
    }
}
