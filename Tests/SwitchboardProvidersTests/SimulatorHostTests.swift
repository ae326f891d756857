import SwitchboardSimulators
import SwitchboardTestSupport
import Testing

@Suite struct SimulatorHostTests {
    /// The gateway runs the simulators as a service: cancelling them at shutdown must end `run()` without an error,
    /// or the gateway exits 1 on SIGTERM. Which child ends first is a race, so it is run many times.
    @Test func cancellingTheSimulatorsIsACleanStop() async throws {
        for _ in 0..<20 {
            let host = SimulatedProviders.host()
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await host.run() }
                try await host.ports.waitUntilBound(host.endpoints)
                group.cancelAll()
                try await group.next()
            }
        }
    }
}
