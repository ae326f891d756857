import Foundation
import Hummingbird
import SwitchboardCore
import SwitchboardDispatch

/// GET /v1/accounts, /v1/templates, /v1/numbers and /v1/route: what the gateway knows of its accounts.
struct AccountsController: Sendable {
    let routing: LiveDispatcher
    /// Read once per request, so a reload lands between requests.
    private var dispatcher: Dispatcher { routing.current }

    func addRoutes(to group: RouterGroup<BasicRequestContext>) {
        group.get("accounts") { _, _ in try await accounts() }
        group.get("templates") { _, _ in await templates() }
        group.get("numbers") { _, _ in await numbers() }
        group.get("route") { request, _ in try await route(request) }
    }

    private func accounts() async throws -> Response {
        let health = await dispatcher.health.snapshot()
        let now = dispatcher.clock.now()
        var entries: [JSONValue] = []
        for account in dispatcher.table.accounts {
            let stats = await dispatcher.health.stats(of: account.id)
            let accountHealth = health[account.id]
            var entry: [String: JSONValue] = [
                "id": .string(account.id), "provider": .string(account.provider),
                "circuit": .string((accountHealth?.breaker.phase(at: now) ?? .closed).rawValue),
                "successes": .int(stats.successes), "failures": .int(stats.failures),
            ]
            if let pod = account.pod { entry["pod"] = .string(pod) }
            if let region = account.region { entry["region"] = .string(region) }
            if let from = account.from { entry["from"] = .string(from) }
            if let lastError = stats.lastError { entry["lastError"] = .object(["code": .string(stats.lastErrorCode ?? ""), "message": .string(lastError)]) }
            if let until = accountHealth?.rateLimitedUntil, until > now { entry["rateLimitedForMs"] = .int(until - now) }
            if let until = accountHealth?.breaker.openUntil, until > now { entry["openForMs"] = .int(until - now) }
            entries.append(.object(entry))
        }
        return JSONResponse.data(.array(entries))
    }

    private func templates() async -> Response {
        await gather(supported: \.supportsTemplateListing) { provider, account in
            try await provider.listTemplates(account: account).map { template in
                var entry: [String: JSONValue] = ["name": .string(template.name)]
                if let language = template.language { entry["language"] = .string(language) }
                if let status = template.status { entry["status"] = .string(status) }
                if let category = template.category { entry["category"] = .string(category) }
                return entry
            }
        }
    }

    private func numbers() async -> Response {
        await gather(supported: \.supportsNumberListing) { provider, account in
            try await provider.listNumbers(account: account).map { number in
                var entry: [String: JSONValue] = ["id": .string(number.id), "default": .bool(number.isDefault)]
                if let label = number.label { entry["label"] = .string(label) }
                return entry
            }
        }
    }

    /// Asks every account whose provider supports the listing; failures are reported per account, not fatal.
    private func gather(
        supported: KeyPath<ProviderCapabilities, Bool> & Sendable,
        _ fetch: @escaping @Sendable (any Provider, Account) async throws -> [[String: JSONValue]]
    ) async -> Response {
        let targets = dispatcher.table.accounts.compactMap { account -> (Account, any Provider)? in
            guard let provider = dispatcher.providers[account.provider], provider.capabilities[keyPath: supported] else { return nil }
            return (account, provider)
        }
        let results = await withTaskGroup(of: (Int, Result<[[String: JSONValue]], ProviderOperationError>).self) { group in
            for (index, (account, provider)) in targets.enumerated() {
                group.addTask {
                    do {
                        return (index, .success(try await fetch(provider, account)))
                    } catch let error as ProviderOperationError {
                        return (index, .failure(error))
                    } catch {
                        return (index, .failure(.failed(ProviderFailure(.unavailable, message: "\(type(of: error))"))))
                    }
                }
            }
            var collected: [(Int, Result<[[String: JSONValue]], ProviderOperationError>)] = []
            for await result in group { collected.append(result) }
            return collected.sorted { $0.0 < $1.0 }
        }
        var data: [JSONValue] = []
        var errors: [JSONValue] = []
        for (index, result) in results {
            let account = targets[index].0
            switch result {
            case .success(let items):
                data += items.map { item in
                    var tagged = item
                    tagged["account"] = .string(account.id)
                    tagged["provider"] = .string(account.provider)
                    return .object(tagged)
                }
            case .failure(let error):
                let message: String
                switch error {
                case .failed(let failure): message = "\(failure.failureClass.rawValue): \(failure.message)"
                case .unsupported(_, let operation): message = "\(operation) not supported"
                }
                errors.append(.object(["account": .string(account.id), "message": .string(message)]))
            }
        }
        var body: [String: JSONValue] = ["data": .array(data)]
        if !errors.isEmpty { body["errors"] = .array(errors) }
        return JSONResponse.make(.ok, .object(body))
    }

    private func route(_ request: Request) async throws -> Response {
        let parameters = request.uri.queryParameters
        guard let to = parameters.get("to") else { throw APIError(.invalidRequest, "to is required") }
        let number: PhoneNumber
        do { number = try PhoneNumber(to) } catch { throw APIError(.invalidRecipient, error.description) }
        let kind = try parameters.get("kind").map { raw in
            guard let kind = MessageKind(rawValue: raw) else { throw APIError(.invalidRequest, "kind must be text or template") }
            return kind
        } ?? .text
        let explanation = dispatcher.planner.explain(
            to: number, kind: kind, from: parameters.get("from"), route: parameters.get("route"), draw: 0,
            health: await dispatcher.health.snapshot(), now: dispatcher.clock.now())
        return JSONResponse.data(explanation.json)
    }
}
