import Foundation
import SwitchboardCore
import Testing

@Suite struct ConversationWindowTests {
    static let wrote = Date(timeIntervalSince1970: 1_800_000_000)

    @Test(arguments: [
        (0.0, true), (3600, true), (86_399.999, true), (86_400, false), (86_401, false), (-60, true),
    ])
    func aWindowIsOpenForTwentyFourHoursAfterTheCustomerWrote(offset: TimeInterval, open: Bool) {
        #expect(ConversationWindow.openAccounts(["line": Self.wrote], now: Self.wrote.addingTimeInterval(offset)) == (open ? ["line"] : []))
    }

    @Test func openWindowsListTheLongestOpenFirstAndLeaveClosedOnesOut() {
        let now = Self.wrote.addingTimeInterval(10 * 3600)
        let windows = ConversationWindow.open([
            (account: "a", at: Self.wrote), (account: "b", at: Self.wrote.addingTimeInterval(3600)),
            (account: "c", at: Self.wrote.addingTimeInterval(-20 * 3600)),
        ], now: now)
        #expect(windows.map(\.account) == ["b", "a"])
        #expect(windows.first?.until == Self.wrote.addingTimeInterval(25 * 3600))
    }
}
