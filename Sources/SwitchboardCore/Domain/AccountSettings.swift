/// The keys of an account entry that only its provider reads (Kaleyra's `sid`, say), after `${VAR}` expansion and
/// with the catalog's `accountDefaults` under them. The provider's adapter says which keys exist and checks them.
public struct AccountSettings: Sendable, Hashable, CustomStringConvertible {
    public var values: [String: JSONValue]

    public init(_ values: [String: JSONValue] = [:]) { self.values = values }

    public func string(_ key: String) -> String? {
        if case .string(let text) = values[key] { return text }
        return nil
    }

    public func bool(_ key: String) -> Bool? {
        if case .bool(let flag) = values[key] { return flag }
        return nil
    }

    public func secret(_ key: String) -> Secret? { string(key).map(Secret.init) }

    /// Names only: values may be secrets.
    public var description: String { "AccountSettings(\(values.keys.sorted().joined(separator: ", ")))" }
}

/// A provider's own account keys and their rules, applied by the config loader.
public protocol AccountSettingsSchema: Sendable {
    /// The keys an account on this provider may use beyond the common ones, with what each must be.
    var keys: [String: AccountSettingKind] { get }
    /// Problems with the account as a whole, each as a path below the account entry (".sid") and a message.
    func problems(in settings: AccountSettings, account: Account) -> [(path: String, message: String)]
}

/// What an account setting's value must be.
public enum AccountSettingKind: Sendable, Hashable {
    case string, bool

    func accepts(_ value: JSONValue) -> Bool {
        switch (self, value) {
        case (.string, .string), (.bool, .bool): true
        default: false
        }
    }

    var word: String {
        switch self {
        case .string: "a string"
        case .bool: "true or false"
        }
    }
}

/// A provider with no keys of its own.
public struct NoAccountSettings: AccountSettingsSchema {
    public init() {}
    public var keys: [String: AccountSettingKind] { [:] }
    public func problems(in settings: AccountSettings, account: Account) -> [(path: String, message: String)] { [] }
}
