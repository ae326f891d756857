import SwitchboardCore

/// Kaleyra's own account keys: `sid` (required), `useGET`, `sandbox`, and `inboundToken`, which guards its
/// unsigned callbacks.
struct KaleyraSettings: Sendable {
    /// The account SID in `/v1/<SID>/messages`.
    var sid: String
    /// Send with GET and query parameters instead of a form-encoded POST.
    var useGET: Bool
    /// Add `source=sandbox` (the shared trial sender).
    var sandbox: Bool
    /// Kaleyra signs nothing: this token goes into the callback URL and is required on its inbound endpoints.
    var inboundToken: Secret?

    init(_ account: Account) {
        sid = account.settings.string("sid") ?? ""
        useGET = account.settings.bool("useGET") ?? false
        sandbox = account.settings.bool("sandbox") ?? false
        inboundToken = account.settings.secret("inboundToken").flatMap { $0.value.isEmpty ? nil : $0 }
    }

    struct Schema: AccountSettingsSchema {
        var keys: [String: AccountSettingKind] {
            ["sid": .string, "useGET": .bool, "sandbox": .bool, "inboundToken": .string]
        }

        func problems(in settings: AccountSettings, account: Account) -> [(path: String, message: String)] {
            var problems: [(path: String, message: String)] = []
            let sid = settings.string("sid") ?? ""
            if sid.isEmpty {
                problems.append((".sid", "is required for kaleyra"))
            } else if !sid.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) {
                problems.append((".sid", "must be letters and digits (it is part of the request path)"))
            }
            return problems
        }
    }
}
