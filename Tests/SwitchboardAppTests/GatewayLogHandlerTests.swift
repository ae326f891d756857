import Foundation
import Logging
@testable import SwitchboardApp
import Testing

/// The gateway's log lines read exactly as swift-log's stream handler writes them.
@Suite struct GatewayLogHandlerTests {
    final class Lines: @unchecked Sendable, TextOutputStream {
        private let lock = NSLock()
        private var written: [String] = []
        func write(_ string: String) { lock.withLock { written.append(string) } }
        var all: [String] { lock.withLock { written } }
    }

    /// Drops the leading timestamp, which may differ by a second between the two handlers.
    static func withoutTimestamp(_ line: String) -> String {
        String(line.drop { $0 != " " })
    }

    static func exercise(_ logger: Logger) {
        var logger = logger
        logger.logLevel = .debug
        logger[metadataKey: "hb.request.id"] = "42"
        logger[metadataKey: "account"] = "klaros"
        logger.debug("attempt ended", metadata: ["outcome": "accepted", "account": "kaleyra-in"])
        logger.info("plain")
        logger.trace("below the level")
    }

    @Test func linesMatchTheStreamHandlersFormat() {
        let ours = Lines()
        let theirs = Lines()
        Self.exercise(Logger(label: "switchboard") { GatewayLogHandler(label: $0, write: { ours.write($0) }) })
        Self.exercise(Logger(label: "switchboard") { StreamLogHandler(label: $0, stream: theirs, metadataProvider: nil) })
        #expect(ours.all.count == 2)
        #expect(ours.all.map(Self.withoutTimestamp) == theirs.all.map(Self.withoutTimestamp))
        #expect(ours.all.first.map(Self.withoutTimestamp) == " debug switchboard: account=kaleyra-in hb.request.id=42 outcome=accepted [SwitchboardAppTests] attempt ended\n")
        #expect(ours.all.first?.prefix(4).allSatisfy(\.isNumber) == true, "lines start with the year")
    }

    @Test func metadataIsKeptPerLoggerCopy() {
        let lines = Lines()
        var first = Logger(label: "a") { GatewayLogHandler(label: $0, write: { lines.write($0) }) }
        first[metadataKey: "request"] = "1"
        var second = first
        second[metadataKey: "request"] = "2"
        first.info("one")
        second.info("two")
        #expect(lines.all.map(Self.withoutTimestamp) == [" info a: request=1 [SwitchboardAppTests] one\n", " info a: request=2 [SwitchboardAppTests] two\n"])
    }
}
