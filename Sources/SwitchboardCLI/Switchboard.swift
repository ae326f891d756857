import ArgumentParser
import SwitchboardApp

@main
struct Switchboard: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "switchboard",
        abstract: "A self-hosted multi-provider WhatsApp messaging gateway.",
        subcommands: [ServeCommand.self, CheckCommand.self, ReloadCommand.self, RouteCommand.self, SimulateCommand.self, SendCommand.self]
    )
}

/// Options every command that reads gateway.json shares.
struct ConfigOptions: ParsableArguments {
    @Option(name: .long, help: "Path to gateway.json.")
    var config = "gateway.json"

    @Option(name: .long, help: "Directory of provider catalogs overriding the built-in ones by name (default: providers/ beside the config, if any).")
    var providers: String?
}

extension ConfigOptions {
    /// Loads gateway.json and the catalogs; on problems, prints each with its file and JSON path and exits 1.
    func load() throws -> GatewayConfiguration {
        do {
            return try GatewayConfiguration.load(path: config, providersDirectory: providers)
        } catch {
            for problem in error.problems { printError(problem.description) }
            throw ExitCode(1)
        }
    }
}
