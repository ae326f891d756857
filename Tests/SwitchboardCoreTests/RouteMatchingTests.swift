import SwitchboardCore
import Testing

@Suite struct RouteMatchingTests {
    static let routes = [
        Route(name: "templates-to-uk", match: RouteMatch(countryCodes: ["44"], kind: .template), targets: [.init(account: "klaros")]),
        Route(name: "nanp", match: RouteMatch(countryCodes: ["1"]), targets: [.init(account: "klaros")]),
        Route(name: "jamaica", match: RouteMatch(countryCodes: ["1876"]), targets: [.init(account: "kaleyra-sg")]),
        Route(name: "india", match: RouteMatch(countryCodes: ["91"]), targets: [.init(account: "kaleyra-in"), .init(account: "klaros")]),
        Route(name: "delhi-mobiles", match: RouteMatch(prefixes: ["91981"]), targets: [.init(account: "kaleyra-in")]),
        Route(name: "europe", match: RouteMatch(countryCodes: ["44", "49", "33"]), targets: [.init(account: "kaleyra-eu")]),
        Route(name: "default", match: nil, targets: [.init(account: "klaros")]),
    ]

    @Test(arguments: [
        ("+12025550123", MessageKind.text, "nanp"),
        ("+18765550123", .text, "jamaica"),
        ("+919812345678", .text, "delhi-mobiles"),
        ("+919712345678", .text, "india"),
        ("+447700900123", .text, "europe"),
        ("+447700900123", .template, "templates-to-uk"),
        ("+4915112345678", .template, "europe"),
        ("+6591234567", .text, "default"),
    ])
    func firstFittingRouteWinsAndLongerNumberPrefixesBeatShorter(to: String, kind: MessageKind, expected: String) {
        #expect(Fixtures.table(Self.routes).select(for: Fixtures.number(to), kind: kind)?.route.name == expected)
    }

    @Test func withoutACatchAllAnUnmatchedNumberHasNoRoute() {
        let table = Fixtures.table([Route(name: "india", match: RouteMatch(countryCodes: ["91"]), targets: [.init(account: "kaleyra-in")])])
        #expect(table.select(for: Fixtures.number("+12025550123"), kind: .text) == nil)
        #expect(RoutePlanner(table: table).plan(to: Fixtures.number("+12025550123"), kind: .text, draw: 0) == .failure(.noRouteMatches))
    }

    @Test func weightedSplitFollowsTheWeightsOverManyDraws() {
        let route = Route(name: "default", match: nil, strategy: .weighted, targets: [.init(account: "klaros", weight: 80), .init(account: "kaleyra-eu", weight: 20)])
        let planner = RoutePlanner(table: Fixtures.table([route]))
        var random = SplitMix64(seed: 42)
        var firsts: [String: Int] = [:]
        let draws = 20_000
        for _ in 0..<draws {
            let plan = try! planner.plan(to: Fixtures.number("+6591234567"), kind: .text, draw: random.nextUnit()).get()
            firsts[plan.candidates[0].id, default: 0] += 1
            #expect(plan.candidates.count == 2)
        }
        let share = Double(firsts["klaros"] ?? 0) / Double(draws)
        #expect(abs(share - 0.8) < 0.015, "klaros share \(share)")
    }

    @Test(arguments: [(0.0, 0), (0.49, 0), (0.5, 1), (0.74, 1), (0.75, 2), (0.9999, 2)])
    func weightedIndexBoundaries(draw: Double, expected: Int) {
        #expect(RoutePlanner.weightedIndex([2, 1, 1], draw: draw) == expected)
    }

    @Test func weightedFallbacksKeepConfiguredOrder() throws {
        let route = Route(name: "w", match: nil, strategy: .weighted, targets: [.init(account: "kaleyra-in", weight: 1), .init(account: "kaleyra-eu", weight: 1), .init(account: "klaros", weight: 1)])
        let plan = try RoutePlanner(table: Fixtures.table([route])).plan(to: Fixtures.number("+6591234567"), kind: .text, draw: 0.5).get()
        #expect(plan.candidates.map(\.id) == ["kaleyra-eu", "kaleyra-in", "klaros"])
    }

    @Test func sameRegionNeverLeavesTheFirstCandidatesRegion() throws {
        let route = Route(name: "europe", match: nil, targets: [.init(account: "kaleyra-eu"), .init(account: "kaleyra-in"), .init(account: "klaros")], failover: .sameRegion)
        let plan = try RoutePlanner(table: Fixtures.table([route])).plan(to: Fixtures.number("+447700900123"), kind: .text, draw: 0).get()
        #expect(plan.candidates.map(\.id) == ["kaleyra-eu"])
        #expect(plan.excluded.map(\.account.id) == ["kaleyra-in", "klaros"])
    }

    @Test func pinningByAccountIdSenderLineOrRoute() throws {
        let planner = RoutePlanner(table: Fixtures.table(Self.routes))
        let india = Fixtures.number("+919812345678")
        #expect(try planner.plan(to: india, kind: .text, from: "kaleyra-eu", draw: 0).get().candidates.map(\.id) == ["kaleyra-eu"])
        #expect(try planner.plan(to: india, kind: .text, from: Fixtures.sgAccount.from!, draw: 0).get().candidates.map(\.id) == ["kaleyra-sg"])
        #expect(try planner.plan(to: india, kind: .text, route: "europe", draw: 0).get().routeName == "europe")
        #expect(planner.plan(to: india, kind: .text, from: "nobody", draw: 0) == .failure(.unknownAccount("nobody")))
        #expect(planner.plan(to: india, kind: .text, route: "mars", draw: 0) == .failure(.unknownRoute("mars")))
    }

    @Test func explanationListsCandidatesWithCircuitStateAndSkipReasons() {
        var open = AccountHealth(breaker: CircuitBreaker(failureThreshold: 1, cooldownMs: 30_000))
        open.breaker.recordFailure(at: Instant(milliseconds: 0))
        let explanation = RoutePlanner(table: Fixtures.table(Self.routes)).explain(
            to: Fixtures.number("+919712345678"), kind: .text, draw: 0, health: ["kaleyra-in": open], now: Instant(milliseconds: 10))
        #expect(explanation.route == "india")
        #expect(explanation.callingCode == "91")
        #expect(explanation.country == "IN")
        #expect(explanation.reason == "calling code 91 matches")
        #expect(explanation.candidates.map(\.account) == ["kaleyra-in", "klaros"])
        #expect(explanation.candidates[0].circuit == .open)
        #expect(explanation.candidates[0].skipCode == "circuit_open")
        #expect(explanation.candidates[1].available)
        #expect(explanation.wouldUse == "klaros")
    }
}
