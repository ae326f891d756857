import SwitchboardCore

/// The Cloud API's own account keys: `apiVersion` (the catalog's `accountDefaults` unless set; the loader puts it in
/// the settings) and `verifyToken`, which Meta's subscription handshake must present. `from` is the phone-number id
/// and is required.
struct CloudAPISettings: Sendable {
    var apiVersion: String
    var verifyToken: Secret?

    init(_ account: Account) {
        apiVersion = account.settings.string("apiVersion") ?? ""
        verifyToken = account.settings.secret("verifyToken").flatMap { $0.value.isEmpty ? nil : $0 }
    }

    struct Schema: AccountSettingsSchema {
        var keys: [String: AccountSettingKind] { ["apiVersion": .string, "verifyToken": .string] }

        func problems(in settings: AccountSettings, account: Account) -> [(path: String, message: String)] {
            var problems: [(path: String, message: String)] = []
            let from = account.from ?? ""
            if from.isEmpty || !from.allSatisfy({ $0.isASCII && $0.isNumber }) {
                problems.append((".from", "must be the line's phone-number id (digits) for cloud-api"))
            }
            if let version = settings.string("apiVersion") {
                if !Self.isVersion(version) { problems.append((".apiVersion", "must look like \"v21.0\"")) }
            } else {
                problems.append((".apiVersion", "is required (the catalog gives no default)"))
            }
            return problems
        }

        static func isVersion(_ text: String) -> Bool {
            guard text.first == "v" else { return false }
            let parts = text.dropFirst().split(separator: ".", omittingEmptySubsequences: false)
            return (1...2).contains(parts.count) && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isNumber) }
        }
    }
}
