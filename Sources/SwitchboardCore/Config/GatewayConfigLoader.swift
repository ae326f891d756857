import Foundation

/// Turns gateway.json into a validated `RouteTable`, or every problem with its JSON path.
/// Pure: the bytes, the environment and the catalogs come in; nothing is read here.
public struct GatewayConfigLoader: Sendable {
    public let file: String
    public let environment: [String: String]
    public let catalogs: [String: ProviderCatalog]
    /// Each provider's own account keys, by provider name; a provider missing here has none.
    public let settingsSchemas: [String: any AccountSettingsSchema]

    public init(
        file: String, environment: [String: String], catalogs: [String: ProviderCatalog],
        settingsSchemas: [String: any AccountSettingsSchema] = [:]
    ) {
        self.file = file
        self.environment = environment
        self.catalogs = catalogs
        self.settingsSchemas = settingsSchemas
    }

    /// The document with every `${VAR}` expanded, for other sections to decode from.
    public func expand(_ data: Data) -> Result<Data, ConfigLoadError> {
        let (expanded, problems) = expandCollecting(data)
        guard problems.isEmpty, let expanded else { return .failure(ConfigLoadError(problems: problems)) }
        return .success(expanded)
    }

    public func load(_ data: Data) -> Result<RouteTable, ConfigLoadError> {
        // Unset variables are reported alongside every other problem, not instead of them.
        let (expanded, expansionProblems) = expandCollecting(data)
        guard let expanded else { return .failure(ConfigLoadError(problems: expansionProblems)) }
        let document: GatewayFile
        let rawAccounts: [[String: JSONValue]]
        do {
            document = try JSONDecoder().decode(GatewayFile.self, from: expanded)
            rawAccounts = try JSONDecoder().decode(RawAccounts.self, from: expanded).accounts
        } catch let error as DecodingError {
            let (path, message) = JSONPath.describe(error)
            return .failure(ConfigLoadError(problems: expansionProblems + [problem(path, message)]))
        } catch {
            return .failure(ConfigLoadError(problems: expansionProblems + [problem("$", "\(error)")]))
        }
        switch validate(document, rawAccounts: rawAccounts) {
        case .success(let table):
            return expansionProblems.isEmpty ? .success(table) : .failure(ConfigLoadError(problems: expansionProblems))
        case .failure(let error):
            return .failure(ConfigLoadError(problems: expansionProblems + error.problems))
        }
    }

    /// Nil data only when the bytes are not a JSON object; unset variables are left as written and reported.
    private func expandCollecting(_ data: Data) -> (Data?, [ConfigProblem]) {
        let root: Any
        do {
            root = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        } catch {
            return (nil, [problem("$", "is not valid JSON: \(Self.reason(error))")])
        }
        guard root is [String: Any] else { return (nil, [problem("$", "must be a JSON object")]) }
        var problems: [ConfigProblem] = []
        let expanded = walk(root, path: "$", problems: &problems)
        return ((try? JSONSerialization.data(withJSONObject: expanded)) ?? data, problems.sorted { $0.path < $1.path })
    }

    private struct RawAccounts: Decodable { var accounts: [[String: JSONValue]] }

    private func validate(_ document: GatewayFile, rawAccounts: [[String: JSONValue]]) -> Result<RouteTable, ConfigLoadError> {
        var problems: [ConfigProblem] = []
        let policy = document.policy?.applied(to: Policy()) ?? Policy()
        problems += policy.problems(at: "$.policy").map { problem($0.path, $0.message) }

        var accounts: [Account] = []
        var seen: Set<String> = []
        for (index, entry) in document.accounts.enumerated() {
            let path = "$.accounts[\(index)]"
            if entry.id.isEmpty { problems.append(problem("\(path).id", "must not be empty")) }
            if !seen.insert(entry.id).inserted { problems.append(problem("\(path).id", "duplicate account id \"\(entry.id)\"")) }
            switch resolve(entry, raw: rawAccounts[index], path: path) {
            case .success(let account): accounts.append(account)
            case .failure(let found): problems += found.problems
            }
        }
        if document.accounts.isEmpty { problems.append(problem("$.accounts", "must name at least one account")) }

        var routes: [Route] = []
        var names: Set<String> = []
        var catchAll: String?
        for (index, entry) in document.routes.enumerated() {
            let path = "$.routes[\(index)]"
            if !names.insert(entry.name).inserted { problems.append(problem("\(path).name", "duplicate route name \"\(entry.name)\"")) }
            if let catchAll { problems.append(problem(path, "unreachable: route \"\(catchAll)\" before it matches everything")) }
            let routePolicy = entry.policy?.applied(to: policy) ?? policy
            problems += routePolicy.problems(at: "\(path).policy").map { problem($0.path, $0.message) }
            let match = entry.match.map { RouteMatch(countryCodes: $0.countryCodes ?? [], prefixes: $0.prefixes ?? [], kind: $0.kind) }
            if let match {
                for (position, code) in match.countryCodes.enumerated() where !Self.isDigits(code, 1...4) || code.first == "0" {
                    problems.append(problem("\(path).match.countryCodes[\(position)]", "\"\(code)\" is not a calling code (1 to 4 digits)"))
                }
                for (position, prefix) in match.prefixes.enumerated() where !Self.isDigits(prefix, 1...15) {
                    problems.append(problem("\(path).match.prefixes[\(position)]", "\"\(prefix)\" must be digits only"))
                }
            }
            if match == nil || match == RouteMatch() { catchAll = catchAll ?? entry.name }
            if entry.targets.isEmpty { problems.append(problem("\(path).targets", "must name at least one account")) }
            var targets: [Route.Target] = []
            for (position, target) in entry.targets.enumerated() {
                let targetPath = "\(path).targets[\(position)]"
                if !seen.contains(target.account) { problems.append(problem(targetPath, "unknown account \"\(target.account)\"")) }
                if let weight = target.weight, !(weight > 0) { problems.append(problem("\(targetPath).weight", "must be positive")) }
                if targets.contains(where: { $0.account == target.account }) { problems.append(problem(targetPath, "account \"\(target.account)\" is listed twice")) }
                targets.append(Route.Target(account: target.account, weight: target.weight ?? 1))
            }
            let failover = entry.failover ?? .any
            if failover == .sameRegion {
                for (position, target) in targets.enumerated() {
                    if let account = accounts.first(where: { $0.id == target.account }), account.region == nil {
                        problems.append(problem("\(path).targets[\(position)]", "same-region failover needs a region: give account \"\(account.id)\" a pod or a region"))
                    }
                }
            }
            routes.append(Route(name: entry.name, match: match, strategy: entry.strategy ?? .priority, targets: targets, failover: failover, policy: routePolicy))
        }
        if document.routes.isEmpty { problems.append(problem("$.routes", "must name at least one route")) }
        guard problems.isEmpty else { return .failure(ConfigLoadError(problems: problems)) }
        return .success(RouteTable(accounts: accounts, routes: routes, policy: policy))
    }

    private func resolve(
        _ entry: GatewayFile.AccountEntry, raw: [String: JSONValue], path: String
    ) -> Result<Account, ConfigLoadError> {
        var problems: [ConfigProblem] = []
        guard let catalog = catalogs[entry.provider] else {
            let known = catalogs.keys.sorted().joined(separator: ", ")
            return .failure(ConfigLoadError(problems: [problem("\(path).provider", "unknown provider \"\(entry.provider)\" (known: \(known))")]))
        }
        let pod = entry.pod?.lowercased()
        if let pod, catalog.pods[pod] == nil {
            let known = catalog.pods.keys.sorted().joined(separator: ", ")
            problems.append(problem("\(path).pod", known.isEmpty ? "\(entry.provider) has no pods" : "unknown \(entry.provider) pod \"\(pod)\" (known: \(known))"))
        }
        let baseURL = catalog.baseURL(pod: pod, override: entry.baseURL)
        if baseURL == nil {
            problems.append(problem(path, catalog.pods.isEmpty ? "baseURL is required for \(entry.provider)" : "give a pod or a baseURL"))
        } else if let baseURL, !(baseURL.hasPrefix("http://") || baseURL.hasPrefix("https://")) {
            problems.append(problem("\(path).baseURL", "must be an http(s) URL"))
        }
        let schema = settingsSchemas[entry.provider] ?? NoAccountSettings()
        var settings = catalog.accountDefaults ?? [:]
        for (key, value) in raw.sorted(by: { $0.key < $1.key }) where !GatewayFile.commonAccountKeys.contains(key) {
            guard let kind = schema.keys[key] else {
                problems.append(problem("\(path).\(key)", "unknown key"))
                continue
            }
            guard kind.accepts(value) else {
                problems.append(problem("\(path).\(key)", "must be \(kind.word)"))
                continue
            }
            settings[key] = value
        }
        if (entry.apiKey ?? "").isEmpty { problems.append(problem("\(path).apiKey", "is required")) }
        if let rate = entry.ratePerSecond, !(rate > 0) { problems.append(problem("\(path).ratePerSecond", "must be positive")) }
        guard problems.isEmpty, let baseURL else { return .failure(ConfigLoadError(problems: problems)) }
        let account = Account(
            id: entry.id, provider: entry.provider, pod: pod, region: entry.region ?? pod.flatMap { catalog.pods[$0]?.region },
            apiKey: Secret(entry.apiKey ?? ""), from: entry.from, baseURL: baseURL,
            webhookSecret: entry.webhookSecret.map(Secret.init),
            ratePerSecond: entry.ratePerSecond ?? catalog.limits.messagesPerSecond, settings: AccountSettings(settings))
        let found = schema.problems(in: account.settings, account: account).map { problem(path + $0.path, $0.message) }
        guard found.isEmpty else { return .failure(ConfigLoadError(problems: found)) }
        return .success(account)
    }

    private func walk(_ value: Any, path: String, problems: inout [ConfigProblem]) -> Any {
        switch value {
        case let text as String:
            switch EnvironmentInterpolation.expand(text, environment: environment) {
            case .success(let expanded): return expanded
            case .failure(.unset(let name)):
                problems.append(problem(path, "environment variable \(name) is not set (write ${\(name):-default} for a fallback)"))
            case .failure(.malformed):
                problems.append(problem(path, "malformed ${…} reference"))
            }
            return text
        case let object as [String: Any]:
            var out: [String: Any] = [:]
            for (key, child) in object { out[key] = walk(child, path: "\(path).\(key)", problems: &problems) }
            return out
        case let array as [Any]:
            return array.enumerated().map { walk($1, path: "\(path)[\($0)]", problems: &problems) }
        default:
            return value
        }
    }

    private func problem(_ path: String, _ message: String) -> ConfigProblem {
        ConfigProblem(file: file, path: path, message: message)
    }

    private static func isDigits(_ text: String, _ lengths: ClosedRange<Int>) -> Bool {
        lengths.contains(text.count) && text.allSatisfy { $0.isASCII && $0.isNumber }
    }

    private static func reason(_ error: Error) -> String {
        let description = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String
        return description ?? "malformed"
    }
}

public struct ConfigLoadError: Error, Sendable, CustomStringConvertible {
    public var problems: [ConfigProblem]
    public init(problems: [ConfigProblem]) { self.problems = problems }
    public var description: String { problems.map(\.description).joined(separator: "\n") }
}
