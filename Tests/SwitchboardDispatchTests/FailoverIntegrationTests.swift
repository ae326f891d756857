import SwitchboardCore
import SwitchboardDispatch
import SwitchboardSimulators
import SwitchboardTestSupport
import Testing

@Suite struct FailoverIntegrationTests {
    @Test func recipientsSharingAnAccountTravelInOneRequest() async throws {
        try await SimulatorHost(setup: DispatchHarness.setup).withRunning { host in
            let dispatcher = try await DispatchHarness.dispatcher(host)
            let results = await dispatcher.send(.init(recipients: DispatchHarness.numbers("+919812345678", "+447700900123", "+919812345679", "+12025550123"), body: .text("hello")))
            #expect(results.map(\.acceptedAccount) == ["kaleyra-in", "kaleyra-eu", "kaleyra-in", "klaros"])
            #expect(results.map(\.route) == ["india", "europe", "india", "default"])
            #expect(await host.requests.count(endpoint: "kaleyra.in") == 1)
            let wire = try #require(await host.requests.all().first { $0.endpoint == "kaleyra.in" })
            #expect(wire.formFields["to"] == "+919812345678,+919812345679")
        }
    }

    @Test func aKaleyraPodAnswering503FailsOverToKlaros() async throws {
        try await SimulatorHost(setup: DispatchHarness.setup).withRunning { host in
            await host.faults.set(.unavailable, for: "kaleyra.in")
            let dispatcher = try await DispatchHarness.dispatcher(host)
            let result = try #require(await dispatcher.send(.init(recipients: DispatchHarness.numbers("+919812345678"), body: .text("hello"))).first)
            #expect(result.acceptedAccount == "klaros")
            #expect(result.attempts.map(\.account) == ["kaleyra-in", "kaleyra-in", "klaros"])
            #expect(result.attempts.map(\.outcome) == [.failed(.unavailable), .failed(.unavailable), .accepted])
            #expect(await host.requests.count(endpoint: "kaleyra.in") == 2)
        }
    }

    @Test(arguments: [("E13009", FailureClass.invalidRecipient, false), ("E413", .unsupportedContent, true), ("E13008", .invalidSender, true)])
    func senderSideAndCarrierLimitedKaleyraErrorsFailOver(code: String, failureClass: FailureClass, failsOver: Bool) async throws {
        try await SimulatorHost(setup: DispatchHarness.setup).withRunning { host in
            await host.faults.set(.error(code), for: "kaleyra.in")
            let dispatcher = try await DispatchHarness.dispatcher(host)
            let result = try #require(await dispatcher.send(.init(recipients: DispatchHarness.numbers("+919812345678"), body: .text("hello"))).first)
            #expect(result.attempts.first?.outcome == .failed(failureClass))
            #expect(result.attempts.first?.providerCode == code)
            if failsOver {
                #expect(result.acceptedAccount == "klaros")
            } else {
                guard case .planned(.rejected(let failure)) = result.outcome else { Issue.record("\(result.outcome)"); return }
                #expect(failure.failureClass == failureClass)
                #expect(await host.requests.count(endpoint: "klaros.main") == 0)
            }
        }
    }

    @Test func aDeadAccountStopsReceivingRequestsUntilItsCooldownEnds() async throws {
        try await SimulatorHost(setup: DispatchHarness.setup).withRunning { host in
            await host.faults.set(.unavailable, for: "kaleyra.in")
            let policy = #"{"retriesPerAccount": 0, "backoff": {"baseMs": 1, "maxMs": 2}, "circuitBreaker": {"failureThreshold": 3, "cooldownMs": 700}}"#
            // The provider calls are real; the cooldown runs on the manual clock.
            let clock = ManualClock()
            let dispatcher = try await DispatchHarness.dispatcher(host, policy: policy, clock: clock)
            for _ in 0..<6 {
                let result = try #require(await dispatcher.send(.init(recipients: DispatchHarness.numbers("+919812345678"), body: .text("x"))).first)
                #expect(result.acceptedAccount == "klaros", "the client never sees the outage")
            }
            #expect(await host.requests.count(endpoint: "kaleyra.in") == 3, "after 3 failures the breaker opens")
            let explanation = dispatcher.planner.explain(to: DispatchHarness.numbers("+919812345678")[0], kind: .text, draw: 0, health: await dispatcher.health.snapshot(), now: dispatcher.clock.now())
            #expect(explanation.candidates.first?.circuit == .open)
            #expect(explanation.wouldUse == "klaros")

            await host.faults.clear("kaleyra.in")
            clock.advance(by: 699)
            _ = try #require(await dispatcher.send(.init(recipients: DispatchHarness.numbers("+919812345678"), body: .text("x"))).first)
            #expect(await host.requests.count(endpoint: "kaleyra.in") == 3, "still open a millisecond before the cooldown ends")
            clock.advance(by: 1)
            let probe = try #require(await dispatcher.send(.init(recipients: DispatchHarness.numbers("+919812345678"), body: .text("x"))).first)
            #expect(probe.acceptedAccount == "kaleyra-in", "the half-open probe succeeds and closes the circuit")
            #expect(await host.requests.count(endpoint: "kaleyra.in") == 4)
        }
    }

    @Test func aHangingProviderIsHeldNotDuplicated() async throws {
        try await SimulatorHost(setup: DispatchHarness.setup).withRunning { host in
            await host.faults.set(.hang(seconds: 30), for: "kaleyra.in")
            // Long enough that the request reaches the simulator even when every suite runs at once on 2 cores.
            let dispatcher = try await DispatchHarness.dispatcher(host, policy: #"{"attemptTimeoutMs": 1500, "deadlineMs": 4000}"#)
            let result = try #require(await dispatcher.send(.init(recipients: DispatchHarness.numbers("+919812345678"), body: .text("x"))).first)
            guard case .planned(.held(let account, let failure)) = result.outcome else { Issue.record("\(result.outcome)"); return }
            #expect(account.id == "kaleyra-in")
            #expect(failure.failureClass == .ambiguous)
            #expect(await host.requests.count(endpoint: "kaleyra.in") == 1)
            #expect(await host.requests.count(endpoint: "klaros.main") == 0)
        }
    }

    @Test func sameRegionRouteDoesNotLeaveTheRegion() async throws {
        try await SimulatorHost(setup: DispatchHarness.setup).withRunning { host in
            await host.faults.set(.unavailable, for: "kaleyra.eu")
            let dispatcher = try await DispatchHarness.dispatcher(host)
            let result = try #require(await dispatcher.send(.init(recipients: DispatchHarness.numbers("+447700900123"), body: .text("x"))).first)
            guard case .planned(.exhausted(let failure, _)) = result.outcome else { Issue.record("\(result.outcome)"); return }
            #expect(failure?.failureClass == .unavailable)
            #expect(await host.requests.count(endpoint: "klaros.main") == 0)
        }
    }

    @Test func rateLimitedAccountFailsOverAndIsPausedForRetryAfter() async throws {
        try await SimulatorHost(setup: DispatchHarness.setup).withRunning { host in
            await host.faults.set(.rateLimited(retryAfterSeconds: 30), for: "kaleyra.in")
            let dispatcher = try await DispatchHarness.dispatcher(host)
            for _ in 0..<3 {
                let result = try #require(await dispatcher.send(.init(recipients: DispatchHarness.numbers("+919812345678"), body: .text("x"))).first)
                #expect(result.acceptedAccount == "klaros")
            }
            #expect(await host.requests.count(endpoint: "kaleyra.in") == 1)
        }
    }
}

@Suite struct AttemptReportingTests {
    actor Trace {
        var reports: [(attempts: [String], klarosCallsSoFar: Int)] = []
        func add(_ attempts: [String], _ calls: Int) { reports.append((attempts, calls)) }
    }

    @Test func endedAttemptsAreReportedBeforeTheNextProviderCallAndTheLastRoundIsLeftToTheCaller() async throws {
        try await SimulatorHost(setup: DispatchHarness.setup).withRunning { host in
            await host.faults.set(.unavailable, for: "kaleyra.in")
            let dispatcher = try await DispatchHarness.dispatcher(host, policy: #"{"retriesPerAccount": 0}"#)
            let trace = Trace()
            let results = await dispatcher.send(.init(recipients: DispatchHarness.numbers("+919812345678"), body: .text("x")), onAttempts: { ended in
                await trace.add(ended.map(\.attempt.account), await host.requests.count(endpoint: "klaros.main"))
            })
            let result = try #require(results.first)
            let reports = await trace.reports
            #expect(reports.count == 1)
            #expect(reports.first?.attempts == ["kaleyra-in"])
            #expect(reports.first?.klarosCallsSoFar == 0, "the failed attempt was on record before Klaros was called")
            #expect(result.unreportedAttempts.map(\.account) == ["klaros"])
            #expect(result.attempts.map(\.account) == ["kaleyra-in", "klaros"])
        }
    }

    /// A provider request the caller could not record is not made: the account is skipped (`not_recorded`), and with
    /// nothing recorded anywhere the send ends with no route, having called no provider. Refusing only the first account lets the
    /// next one carry it.
    @Test func aRequestTheCallerCannotRecordIsNotMade() async throws {
        try await SimulatorHost(setup: DispatchHarness.setup).withRunning { host in
            let dispatcher = try await DispatchHarness.dispatcher(host)
            let refused = try #require(await dispatcher.send(.init(recipients: DispatchHarness.numbers("+919812345678"), body: .text("x")),
                                                             willSend: { _ in false }).first)
            guard case .planned(.noRoute(let reason)) = refused.outcome else {
                Issue.record("expected the send to end with no account taking it, got \(refused.outcome)")
                return
            }
            #expect(reason == .everyCandidateUnavailable([
                .init(account: "kaleyra-in", reason: .notRecorded), .init(account: "klaros", reason: .notRecorded),
            ]))
            #expect(refused.attempts.isEmpty)
            #expect(await host.requests.all().isEmpty, "no provider was called")

            let calls = Calls()
            let rerouted = try #require(await dispatcher.send(.init(recipients: DispatchHarness.numbers("+919812345678"), body: .text("x")),
                                                              willSend: { _ in await calls.next() > 0 }).first)
            #expect(rerouted.acceptedAccount == "klaros")
            #expect(rerouted.attempts.map(\.account) == ["klaros"])
            #expect(await host.requests.count(endpoint: "kaleyra.in") == 0)
        }
    }

    actor Calls {
        private var count = 0
        /// How many calls came before this one.
        func next() -> Int {
            defer { count += 1 }
            return count
        }
    }
}
