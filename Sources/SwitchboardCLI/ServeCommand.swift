#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import Hummingbird
import Logging
import NIOCore
import SwitchboardApp
import SwitchboardStore

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
        do {
            let app = try await buildApplication(configuration: loaded, logger: logger)
            try await app.runService()
        } catch let error as PostgresStoreDatabase.Unreachable {
            printError("\(options.config): \(error) ($.storage.postgres)")
            throw ExitCode(1)
        } catch let error as IOError where error.errnoCode == EADDRINUSE || error.errnoCode == EACCES || error.errnoCode == EADDRNOTAVAIL {
            let reason = switch error.errnoCode {
            case EADDRINUSE: "the address is already in use"
            case EACCES: "permission denied (ports below 1024 need privileges)"
            default: "no such local address"
            }
            printError("\(options.config): cannot listen on \(loaded.server.host):\(loaded.server.port) ($.server.host, $.server.port): \(reason)")
            throw ExitCode(1)
        }
    }
}
