import ArgumentParser
import SwitchboardApp
import SwitchboardSimulators

struct SimulateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Run the provider simulators standalone, as gateway.json's `simulators` section describes them.",
        discussion: """
            Faults are set while running through the control API (simulators.controlPort), e.g.
              curl -X PUT localhost:7099/faults/<endpoint> -d '{"mode":"unavailable"}'
            (GET /endpoints lists the endpoint names.)
            Modes: none, unavailable, rate_limited (retryAfterSeconds), refuse, hang (hangSeconds), error (errorCode);
            with optional fraction (0..1) and latencyMs. GET /endpoints, GET /faults, GET /requests, DELETE /faults.
            """)

    @OptionGroup var options: ConfigOptions

    func run() async throws {
        let loaded = try options.load()
        guard let setup = loaded.simulators else {
            printError("\(options.config): $.simulators: is required to run the simulators")
            throw ExitCode(1)
        }
        let host = SimulatorHost(setup: setup)
        try await host.withRunning { host in
            for endpoint in host.endpoints {
                print("\(endpoint): \(await host.baseURL(endpoint) ?? "?")")
            }
            if let control = await host.baseURL(SimulatorHost.controlEndpoint) { print("control: \(control)") }
            try await Task.sleep(for: .seconds(365 * 24 * 3600))
        }
    }
}
