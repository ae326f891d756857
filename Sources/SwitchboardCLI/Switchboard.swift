import ArgumentParser

@main
struct Switchboard: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "switchboard",
        abstract: "A self-hosted multi-provider WhatsApp messaging gateway.",
        subcommands: [ServeCommand.self, CheckCommand.self, RouteCommand.self, SimulateCommand.self, SendCommand.self]
    )
}

/// Options every command that reads gateway.json shares.
struct ConfigOptions: ParsableArguments {
    @Option(name: .long, help: "Path to gateway.json.")
    var config = "gateway.json"

    @Option(name: .long, help: "Directory of provider catalogs (default: providers/ beside the config).")
    var providers: String?
}
