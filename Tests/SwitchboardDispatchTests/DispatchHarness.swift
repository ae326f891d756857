import Foundation
import Logging
import SwitchboardCore
import SwitchboardDispatch
import SwitchboardProviders
import SwitchboardSimulators
import SwitchboardTestSupport

/// The shared simulated estate wired to the real adapters through a dispatcher.
struct DispatchHarness {
    static var setup: SimulatorHost.Setup { SimulatedProviders.setup() }

    /// gateway.json for the harness, with the simulators' ports filled in.
    static func config(_ host: SimulatorHost, policy: String) async -> String {
        """
        {"accounts": \(await SimulatedProviders.accountsJSON(host)),
         "routes": [
          {"name": "india", "match": {"countryCodes": ["91"]}, "targets": ["kaleyra-in", "klaros"]},
          {"name": "europe", "match": {"countryCodes": ["44"]}, "targets": ["kaleyra-eu", "klaros"], "failover": "same-region"},
          {"name": "default", "targets": ["klaros", "kaleyra-eu"]}],
         "policy": \(policy)}
        """
    }

    /// - Parameter clock: the engine's clock; a `ManualClock` lets a test move breaker cooldowns without waiting.
    static func dispatcher(
        _ host: SimulatorHost, policy: String = #"{"backoff": {"baseMs": 5, "maxMs": 20}}"#,
        clock: any GatewayClock = SystemClock()
    ) async throws -> Dispatcher {
        let json = await config(host, policy: policy)
        let catalogs = SimulatedProviders.catalogs
        let table = try GatewayConfigLoader(
            file: "test", environment: [:], catalogs: catalogs, settingsSchemas: ProviderRegistry.settingsSchemas
        ).load(Data(json.utf8)).get()
        let providers = ProviderRegistry.providers(for: catalogs, client: SimulatedProviders.client, logger: Logger(label: "test"))
        return Dispatcher(table: table, providers: providers, health: HealthBoard(policy: table.policy), clock: clock, seeds: { 1 })
    }

    static func numbers(_ raw: String...) -> [PhoneNumber] { raw.map { try! PhoneNumber($0) } }
}

extension Dispatcher.Result {
    var acceptedAccount: String? {
        if case .planned(.accepted(let account, _, _)) = outcome { return account.id }
        return nil
    }
}
