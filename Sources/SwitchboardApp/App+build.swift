import AsyncHTTPClient
import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import ServiceLifecycle
import SwitchboardCore
import SwitchboardDispatch
import SwitchboardProviders
import SwitchboardSimulators
import SwitchboardStore

/// What the router needs; tests build it with an in-memory store and simulator-backed adapters.
public struct GatewayDependencies<Store: GatewayStore>: Sendable {
    public var configuration: GatewayConfiguration
    public var store: Store
    /// The dispatcher in force; a reload replaces it.
    public let routing: LiveDispatcher
    public var dispatcher: Dispatcher { routing.current }
    public var metrics: GatewayMetrics
    /// Rung by queued sends, heard by the queue workers.
    public var doorbell: QueueDoorbell
    /// The calendar time messages are stamped with and windows are counted from.
    public var wallClock: WallClock
    /// Whether the store takes writes (for `/healthz`), and the outcomes it refused, kept for when it does again.
    var storeHealth = StoreHealth()
    var pendingOutcomes = PendingOutcomes()

    public init(
        configuration: GatewayConfiguration, store: Store, dispatcher: Dispatcher, metrics: GatewayMetrics,
        doorbell: QueueDoorbell = QueueDoorbell(), wallClock: WallClock = .system
    ) {
        self.configuration = configuration
        self.store = store
        routing = LiveDispatcher(dispatcher)
        self.metrics = metrics
        self.doorbell = doorbell
        self.wallClock = wallClock
    }

    /// Real adapters over `client` for every account of the configuration.
    public static func dispatcher(
        for configuration: GatewayConfiguration, client: HTTPClient, logger: Logger, schedule: (any SharedLineSchedule)? = nil
    ) -> Dispatcher {
        let providers = ProviderRegistry.providers(for: configuration.catalogs, client: client, logger: logger)
        let table = configuration.table
        let publicURL = configuration.publicURL
        return Dispatcher(
            table: table, providers: providers, health: HealthBoard(policy: table.policy), clock: SystemClock(),
            pacer: Pacer(limits: .init(table: table), shared: schedule),
            callbackURL: { account in providers[account.provider]?.callbackURL(publicURL: publicURL, account: account) },
            permits: ConnectionPermits(limit: HTTPClient.Configuration.providerCalls.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit))
    }
}

public func buildRouter<Store: GatewayStore>(_ dependencies: GatewayDependencies<Store>) -> Router<BasicRequestContext> {
    let router = Router(options: .autoGenerateHeadEndpoints)
    router.add(middleware: JSONErrorMiddleware())
    SystemController(dependencies: dependencies).addRoutes(to: router)
    let v1 = router.group("v1").add(middleware: APIKeyAuthenticator(keys: dependencies.configuration.apiKeys))
    let service = MessageService(
        store: dependencies.store, routing: dependencies.routing, metrics: dependencies.metrics, doorbell: dependencies.doorbell,
        wallClock: dependencies.wallClock, storeHealth: dependencies.storeHealth, pendingOutcomes: dependencies.pendingOutcomes)
    MessagesController(service: service).addRoutes(to: v1)
    AccountsController(routing: dependencies.routing).addRoutes(to: v1)
    ConversationsController(store: dependencies.store, wallClock: dependencies.wallClock).addRoutes(to: v1)
    WebhooksController(store: dependencies.store, policy: WebhookURLPolicy(allowPrivateNetworks: dependencies.configuration.webhooks.allowPrivateNetworks))
        .addRoutes(to: v1)
    let inbound = InboundController(
        store: dependencies.store, routing: dependencies.routing, providers: dependencies.dispatcher.providers,
        wallClock: dependencies.wallClock)
    inbound.addRoutes(to: router)
    // Last: it wraps only the not-found responder.
    router.add(middleware: MethodNotAllowedMiddleware(routes: router.routes, refine: inbound.allowedMethods))
    return router
}

/// The production application: the configured store, pooled HTTP client, simulators when the config asks for them.
public func buildApplication(configuration: GatewayConfiguration, logger: Logger) async throws -> some ApplicationProtocol {
    switch configuration.storage.backend {
    case .sqlite(let path):
        let database = path == ":memory:" ? try AppDatabase.inMemory() : try AppDatabase.open(path: path)
        return application(
            configuration: configuration, store: SQLiteMessageStore(database: database), logger: logger,
            storeServices: [CheckpointService(database: database, logger: logger)])
    case .postgres(let url):
        let database = PostgresStoreDatabase(url: url, logger: logger)
        let store = PostgresGatewayStore(database: database, logger: logger)
        let leaseSeconds = configuration.storage.leaseSeconds
        // Refuses to start, naming the host and port, when the database cannot be reached.
        try await PostgresStoreDatabase.prepare(url, instanceId: store.instanceId, leaseSeconds: leaseSeconds, logger: logger)
        logger.info("instance on PostgreSQL", metadata: ["instance": "\(store.instanceId)", "database": "\(url)"])
        return application(
            configuration: configuration, store: store, logger: logger,
            storeServices: [PostgresClientService(client: database.client)], schedule: store,
            sharedServices: { dependencies in [
                InstanceLeaseService(
                    store: store, leaseSeconds: leaseSeconds, logger: logger, storeHealth: dependencies.storeHealth),
                QueueNotificationService(client: database.client, doorbell: dependencies.doorbell, logger: logger),
                SharedHealthService(store: store, routing: dependencies.routing, logger: logger),
            ] })
    }
}

/// The application on `store`. `storeServices` run first and stop last, since the database outlives its users;
/// `sharedServices` are the ones a store shared by instances adds.
func application<Store: GatewayStore>(
    configuration: GatewayConfiguration, store: Store, logger: Logger, storeServices: [any Service],
    schedule: (any SharedLineSchedule)? = nil,
    sharedServices: (GatewayDependencies<Store>) -> [any Service] = { _ in [] }
) -> Application<RouterResponder<BasicRequestContext>> {
    let clientConfiguration = HTTPClient.Configuration.providerCalls
    let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: clientConfiguration)
    let dependencies = GatewayDependencies(
        configuration: configuration, store: store,
        dispatcher: GatewayDependencies<SQLiteMessageStore>.dispatcher(
            for: configuration, client: client, logger: logger, schedule: schedule),
        metrics: GatewayMetrics())
    let server = configuration.server
    var app = Application(
        router: buildRouter(dependencies),
        server: .guardedHTTP1(headerTimeout: .milliseconds(server.headerTimeoutMs), idleTimeout: .milliseconds(server.idleTimeoutMs)),
        configuration: .init(
            address: .hostname(server.host, port: server.port), serverName: "switchboard",
            availableConnectionsDelegate: MaximumAvailableConnections(server.effectiveMaxConnections, logger: logger)),
        // Said once the socket is bound, never before.
        onServerRunning: { channel in
            logger.info("switchboard listening", metadata: [
                "address": "http://\(channel.localAddress?.ipAddress ?? server.host):\(channel.localAddress?.port ?? server.port)",
                "config": "\(configuration.file)",
            ])
        },
        logger: logger)
    app.addServices(storeServices)
    // Added next so it shuts down after everything that sends through it.
    app.addServices(HTTPClientService(client: client))
    app.addServices(sharedServices(dependencies))
    if let setup = configuration.simulators {
        let simulators = SimulatorHost(setup: setup)
        app.addServices(SimulatorService(host: simulators))
        app.beforeServerStarts {
            try await simulators.ports.waitUntilBound(simulators.endpoints)
            logger.info("provider simulators running", metadata: ["endpoints": "\(simulators.endpoints.joined(separator: ", "))"])
        }
    }
    app.addServices(RetentionService(store: store, logger: logger))
    app.addServices(WebhookDeliveryService(
        store: store, client: client, logger: logger,
        addressGuard: WebhookAddressGuard(allowPrivateNetworks: configuration.webhooks.allowPrivateNetworks),
        pinnedClients: PinnedClients(configuration: clientConfiguration),
        metrics: dependencies.metrics))
    app.addServices(OutcomeRetryService(store: store, pending: dependencies.pendingOutcomes, health: dependencies.storeHealth, logger: logger))
    app.addServices(QueueWorker(
        store: store, routing: dependencies.routing, metrics: dependencies.metrics, logger: logger, doorbell: dependencies.doorbell,
        pendingOutcomes: dependencies.pendingOutcomes, storeHealth: dependencies.storeHealth))
    app.addServices(ConfigReloadService(
        reloader: ConfigReloader(configuration: configuration, routing: dependencies.routing, logger: logger),
        pidFile: configuration.server.pidFile, logger: logger))
    app.beforeServerStarts {
        let recovered = try await store.recoverInterrupted(now: Date())
        if recovered.unknown > 0 {
            logger.warning("messages interrupted by a previous stop are now unknown", metadata: ["count": "\(recovered.unknown)"])
        }
        if recovered.interrupted > 0 {
            logger.warning("messages a previous stop cut off before any provider call failed as interrupted; their keys are free",
                           metadata: ["count": "\(recovered.interrupted)"])
        }
    }
    return app
}
