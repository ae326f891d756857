import AsyncHTTPClient
import Logging
import SwitchboardCore

/// Every provider adapter the gateway has, by the name its catalog (`providers/<name>.json`) and accounts use. A
/// catalog without an adapter here cannot carry messages: an account naming it is a configuration error.
/// Adding a provider is one line here, its folder, its catalog and its simulator.
public enum ProviderRegistry {
    public typealias MakeAdapter = @Sendable (_ catalog: ProviderCatalog, _ client: HTTPClient, _ logger: Logger) -> any Provider

    /// How to build a provider's adapter, the account keys that only it reads, and its built-in catalog (the bytes
    /// of `providers/<name>.json`, embedded in its folder by scripts/embed-catalogs).
    public struct Entry: Sendable {
        public var make: MakeAdapter
        public var settings: any AccountSettingsSchema
        public var catalog: String
    }

    public static let adapters: [String: Entry] = [
        "kaleyra": Entry(
            make: { KaleyraProvider(catalog: $0, client: $1, logger: $2) }, settings: KaleyraSettings.Schema(),
            catalog: KaleyraCatalog.json),
        "klaros": Entry(
            make: { KlarosProvider(catalog: $0, client: $1, logger: $2) }, settings: NoAccountSettings(),
            catalog: KlarosCatalog.json),
        "cloud-api": Entry(
            make: { CloudAPIProvider(catalog: $0, client: $1, logger: $2) }, settings: CloudAPISettings.Schema(),
            catalog: CloudAPICatalog.json),
    ]

    /// Each adapter's account keys, for the config loader.
    public static var settingsSchemas: [String: any AccountSettingsSchema] { adapters.mapValues(\.settings) }

    /// An adapter for each catalog that has one.
    public static func providers(for catalogs: [String: ProviderCatalog], client: HTTPClient, logger: Logger) -> [String: any Provider] {
        var providers: [String: any Provider] = [:]
        for (name, catalog) in catalogs {
            if let entry = adapters[name] { providers[name] = entry.make(catalog, client, logger) }
        }
        return providers
    }
}
