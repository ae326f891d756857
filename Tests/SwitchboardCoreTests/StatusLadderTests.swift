import SwitchboardCore
import Testing

@Suite struct StatusLadderTests {
    @Test(arguments: [
        (MessageStatus.accepted, MessageStatus.sent, MessageStatus?.some(.sent)),
        (.sent, .delivered, .delivered), (.sent, .read, .read), (.delivered, .read, .read),
        (.delivered, .sent, nil), (.read, .delivered, nil), (.read, .sent, nil), (.sent, .sent, nil),
        (.sent, .failed, .failed), (.delivered, .failed, .failed), (.read, .failed, nil),
        (.failed, .delivered, nil), (.failed, .read, nil), (.failed, .failed, nil),
        (.unknown, .delivered, .delivered), (.unknown, .failed, .failed), (.sending, .sent, .sent),
    ])
    func statusesOnlyMoveForwardAndFailedIsFinal(current: MessageStatus, incoming: MessageStatus, expected: MessageStatus?) {
        #expect(current.advanced(by: incoming) == expected)
    }

    @Test(arguments: [(1, Int?.some(5)), (2, 300), (3, 1800), (4, 7200), (5, 18000), (6, 36000), (7, 36000), (8, nil)])
    func webhookRetryScheduleIsImmediateThenSvixSteps(attemptsMade: Int, delay: Int?) {
        #expect(WebhookRetrySchedule.delayAfter(attemptsMade: attemptsMade) == delay)
    }

    @Test func retryAfterCanOnlyLengthenTheWait() {
        #expect(WebhookRetrySchedule.delayAfter(attemptsMade: 1, retryAfterSeconds: 60) == 60)
        #expect(WebhookRetrySchedule.delayAfter(attemptsMade: 2, retryAfterSeconds: 60) == 300)
    }

    @Test(arguments: [(200, WebhookAnswer.delivered), (204, .delivered), (301, .retry(retryAfterSeconds: nil)), (410, .disable),
                      (429, .retry(retryAfterSeconds: 30)), (503, .retry(retryAfterSeconds: 30)), (500, .retry(retryAfterSeconds: nil))])
    func receiverAnswersAreClassified(status: Int, expected: WebhookAnswer) {
        #expect(WebhookAnswer.classify(status: status, retryAfterSeconds: 30) == expected)
    }

    @Test func textFollowsTheOpenWindowWhenTheRouteAllowsIt() throws {
        let route = Route(name: "india", match: nil, targets: [.init(account: "kaleyra-in"), .init(account: "klaros")])
        let planner = RoutePlanner(table: Fixtures.table([route]))
        let number = Fixtures.number("+919812345678")
        #expect(try planner.plan(to: number, kind: .text, draw: 0, openWindows: ["klaros"]).get().candidates.map(\.id) == ["klaros", "kaleyra-in"])
        #expect(try planner.plan(to: number, kind: .template, draw: 0, openWindows: ["klaros"]).get().candidates.map(\.id) == ["kaleyra-in", "klaros"])
        #expect(try planner.plan(to: number, kind: .text, draw: 0, openWindows: ["kaleyra-eu"]).get().candidates.map(\.id) == ["kaleyra-in", "klaros"])
    }
}
