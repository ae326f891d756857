import Foundation
import Logging
import NIOConcurrencyHelpers
import SwitchboardCore
import SwitchboardDispatch

/// Re-reads gateway.json while the gateway runs. A valid file switches accounts, routes and policy at once for new
/// sends; sends in flight finish on the configuration they started with. An invalid file changes nothing.
public struct ConfigReloader: Sendable {
    /// What a reload did.
    public enum Outcome: Sendable, Equatable {
        /// The new routing is in force. `carried` are the accounts that kept their circuit and pacing state;
        /// `needRestart` the sections that changed but only take effect at the next start.
        case applied(carried: [String], needRestart: [Section])
        /// Nothing changed; every problem in the file, with its path.
        case rejected([ConfigProblem])
    }

    /// The sections a reload does not apply.
    public enum Section: String, Sendable, CaseIterable {
        case server, storage, simulators, apiKeys, webhooks
    }

    let path: String
    let routing: LiveDispatcher
    let environment: @Sendable () -> [String: String]
    let logger: Logger
    private let running: NIOLockedValueBox<GatewayConfiguration>

    public init(
        configuration: GatewayConfiguration, routing: LiveDispatcher, logger: Logger,
        environment: @escaping @Sendable () -> [String: String] = { ProcessInfo.processInfo.environment }
    ) {
        path = configuration.file
        self.routing = routing
        self.environment = environment
        self.logger = logger
        running = NIOLockedValueBox(configuration)
    }

    /// Reads the file again and applies it, or logs why not. The provider catalogs stay those read at start.
    @discardableResult
    public func reload() async -> Outcome {
        let old = running.withLockedValue { $0 }
        let loaded: GatewayConfiguration
        do throws(ConfigLoadError) {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw ConfigLoadError(problems: [ConfigProblem(file: path, path: "$", message: "cannot read the file")])
            }
            loaded = try GatewayConfiguration.parse(data, file: path, catalogs: old.catalogs, environment: environment())
        } catch {
            for problem in error.problems {
                logger.error("reload refused; the running configuration stays", metadata: [
                    "file": "\(problem.file)", "path": "\(problem.path)", "problem": "\(problem.message)",
                ])
            }
            return .rejected(error.problems)
        }
        let carried = Self.carried(from: old.table, to: loaded.table)
        let dispatcher = routing.current
        await dispatcher.health.retune(policy: loaded.table.policy, keeping: carried)
        await dispatcher.pacer?.retune(limits: Pacer.Limits(table: loaded.table), keeping: carried)
        routing.replace(with: dispatcher.replacingTable(loaded.table))
        let needRestart = Self.changedSections(old, loaded)
        // Those sections keep their running values until the next start.
        var kept = loaded
        kept.server = old.server
        kept.storage = old.storage
        kept.simulators = old.simulators
        kept.apiKeys = old.apiKeys
        kept.webhooks = old.webhooks
        running.withLockedValue { $0 = kept }
        logger.info("configuration reloaded", metadata: [
            "file": "\(path)", "accounts": "\(loaded.table.accounts.count)", "routes": "\(loaded.table.routes.count)",
            "carried": "\(carried.sorted().joined(separator: ","))",
        ])
        for section in needRestart {
            logger.warning("a changed section takes effect only after a restart", metadata: ["path": "$.\(section.rawValue)"])
        }
        return .applied(carried: carried.sorted(), needRestart: needRestart)
    }

    /// Accounts present in both tables with the same provider, pod and sender line.
    static func carried(from old: RouteTable, to new: RouteTable) -> Set<String> {
        Set(new.accounts.compactMap { account in
            guard let before = old.account(account.id), before.provider == account.provider, before.pod == account.pod,
                  before.from == account.from else { return nil }
            return account.id
        })
    }

    static func changedSections(_ old: GatewayConfiguration, _ new: GatewayConfiguration) -> [Section] {
        Section.allCases.filter { section in
            switch section {
            case .server: old.server != new.server
            case .storage: old.storage != new.storage
            case .simulators: old.simulators != new.simulators
            case .apiKeys: old.apiKeys != new.apiKeys
            case .webhooks: old.webhooks != new.webhooks
            }
        }
    }
}
