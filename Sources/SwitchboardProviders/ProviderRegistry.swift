import AsyncHTTPClient
import Logging
import SwitchboardCore

/// Every provider adapter the gateway has, by the name its catalog (`providers/<name>.json`) and accounts use. A
/// catalog without an adapter here cannot carry messages: an account naming it is a configuration error.
public enum ProviderRegistry {
    public typealias MakeAdapter = @Sendable (_ catalog: ProviderCatalog, _ client: HTTPClient, _ logger: Logger) -> any Provider

    public static let adapters: [String: MakeAdapter] = [
        "kaleyra": { KaleyraProvider(catalog: $0, client: $1, logger: $2) },
        "klaros": { KlarosProvider(catalog: $0, client: $1, logger: $2) },
    ]

    /// An adapter for each catalog that has one.
    public static func providers(for catalogs: [String: ProviderCatalog], client: HTTPClient, logger: Logger) -> [String: any Provider] {
        var providers: [String: any Provider] = [:]
        for (name, catalog) in catalogs {
            if let make = adapters[name] { providers[name] = make(catalog, client, logger) }
        }
        return providers
    }
}
