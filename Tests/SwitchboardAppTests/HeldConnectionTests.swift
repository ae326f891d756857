import Foundation
import Logging
import NIOCore
import NIOPosix
import SwitchboardApp
import Testing

/// Connections that hold the gateway without finishing a request are closed, and a cap on open connections keeps
/// file descriptors for everything else. Real sockets on loopback; the timeouts are short so the waits are too.
@Suite struct HeldConnectionTests {
    /// A raw TCP connection to the gateway, to send partial requests.
    struct RawConnection {
        let channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>

        static func open(port: Int) async throws -> RawConnection {
            let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connect(host: "127.0.0.1", port: port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                    }
                }
            return RawConnection(channel: channel)
        }

        /// Closes the connection the way NIOAsyncChannel requires (its writer must be finished before it goes away).
        func close() async throws {
            try await channel.executeThenClose { _, _ in }
        }

        actor Collected {
            var text = ""
            func append(_ more: String) { text += more }
        }

        /// Waits `delay`, sends `text` (a byte every `pause` if given), then reads until the server closes or `limit`
        /// passes. Returns what was read and whether the server closed the connection.
        func exchange(_ text: String, after delay: Duration = .zero, pause: Duration? = nil, limit: Duration)
            async throws
            -> (read: String, closed: Bool)
        {
            let collected = Collected()
            let closed = try await channel.executeThenClose { inbound, outbound in
                try await withThrowingTaskGroup(of: Bool?.self) { group in
                    group.addTask {
                        try await Task.sleep(for: delay)
                        do {
                            if let pause {
                                for byte in text.utf8 {
                                    try await outbound.write(ByteBuffer(bytes: [byte]))
                                    try await Task.sleep(for: pause)
                                }
                            } else {
                                try await outbound.write(ByteBuffer(string: text))
                            }
                        } catch is ChannelError {
                            // The server closed the connection mid-write: the reader reports that close.
                        } catch is IOError {
                            // The server closed the connection mid-write: the reader reports that close.
                        }
                        try await Task.sleep(for: limit)
                        return nil
                    }
                    group.addTask {
                        do {
                            for try await buffer in inbound { await collected.append(String(buffer: buffer)) }
                        } catch {}
                        return true
                    }
                    group.addTask {
                        try await Task.sleep(for: delay + limit)
                        return false
                    }
                    var closed = false
                    while let next = try await group.next() {
                        if let next {
                            closed = next
                            break
                        }
                    }
                    group.cancelAll()
                    return closed
                }
            }
            return (await collected.text, closed)
        }
    }

    static func withGateway(
        headerTimeoutMs: Int = 10_000, idleTimeoutMs: Int = 75_000, maxConnections: Int? = nil,
        _ body: @Sendable (Int) async throws -> Void
    ) async throws {
        try await GatewayHarness.simulators().withRunning { host in
            let port = try await WebhookReceiver.freePort()
            var configuration = try await GatewayHarness.configuration(
                host, policy: GatewayHarness.fastPolicy, port: port)
            configuration.server.headerTimeoutMs = headerTimeoutMs
            configuration.server.idleTimeoutMs = idleTimeoutMs
            configuration.server.maxConnections = maxConnections
            let app = try await buildApplication(configuration: configuration, logger: Logger(label: "held"))
            try await LiveGateway.run(app, port: port) { _ in try await body(port) }
        }
    }

    @Test func aRequestHeadSentAByteAtATimeIsCutOffAtTheHeaderTimeout() async throws {
        try await Self.withGateway(headerTimeoutMs: 300) { port in
            let started = ContinuousClock.now
            let slow = try await RawConnection.open(port: port)
            let result = try await slow.exchange(
                "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: " + String(repeating: "a", count: 200),
                pause: .milliseconds(50), limit: .seconds(5))
            #expect(result.closed, "the slow head was still open after 5 s")
            #expect(result.read.isEmpty)
            #expect(ContinuousClock.now - started < .seconds(4))
        }
    }

    @Test func aConnectionIdleAfterItsResponseIsClosedAtTheIdleTimeout() async throws {
        try await Self.withGateway(idleTimeoutMs: 300) { port in
            let connection = try await RawConnection.open(port: port)
            let result = try await connection.exchange("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n", limit: .seconds(5))
            #expect(result.read.hasPrefix("HTTP/1.1 200"))
            #expect(result.closed, "the idle connection was still open after 5 s")
        }
    }

    @Test func aQuickRequestOnAKeptAliveConnectionIsNotCutOff() async throws {
        try await Self.withGateway(headerTimeoutMs: 300, idleTimeoutMs: 5_000) { port in
            let connection = try await RawConnection.open(port: port)
            // Quiet for longer than the header timeout before its first byte: that wait is the idle timeout's.
            let result = try await connection.exchange(
                "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n", after: .milliseconds(600), limit: .milliseconds(800))
            #expect(result.read.hasPrefix("HTTP/1.1 200"))
            #expect(!result.closed)
        }
    }

    @Test func pastMaxConnectionsNewConnectionsWaitUntilOneCloses() async throws {
        try await Self.withGateway(maxConnections: 2) { port in
            let held = [try await RawConnection.open(port: port), try await RawConnection.open(port: port)]
            // Give the server a moment to accept both, so the third is the one over the cap.
            try await Task.sleep(for: .milliseconds(200))
            let third = try await RawConnection.open(port: port)
            let refused = try await third.channel.executeThenClose { inbound, outbound in
                try await outbound.write(ByteBuffer(string: "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"))
                return try await withThrowingTaskGroup(of: String?.self) { group in
                    group.addTask {
                        var iterator = inbound.makeAsyncIterator()
                        return try await iterator.next().map { String(buffer: $0) } ?? ""
                    }
                    group.addTask {
                        try await Task.sleep(for: .milliseconds(500))
                        return nil
                    }
                    let first = try await group.next() ?? nil
                    #expect(first == nil, "the third connection was served while two were held")
                    try await held[0].close()
                    let later = try await group.next() ?? nil
                    group.cancelAll()
                    return later
                }
            }
            #expect(refused?.hasPrefix("HTTP/1.1 200") == true, "once one closed, the waiting connection was served")
            try await held[1].close()
        }
    }

    /// A connection the server accepts while it shuts down is dropped unhandled; that must not take the process
    /// down (NIO traps on an unfinished writer). Connections keep arriving while the gateway stops, a few times over.
    @Test func connectionsArrivingWhileTheGatewayStopsDoNotCrashIt() async throws {
        for _ in 0..<5 {
            let port = try await WebhookReceiver.freePort()
            try await GatewayHarness.simulators().withRunning { host in
                let configuration = try await GatewayHarness.configuration(
                    host, policy: GatewayHarness.fastPolicy, port: port)
                let app = try await buildApplication(configuration: configuration, logger: Logger(label: "stopping"))
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        try await LiveGateway.run(app, port: port) { _ in try await Task.sleep(for: .milliseconds(50)) }
                    }
                    group.addTask {
                        let until = ContinuousClock.now + .milliseconds(400)
                        while ContinuousClock.now < until {
                            guard let connection = try? await RawConnection.open(port: port) else { continue }
                            try? await connection.close()
                        }
                    }
                    try await group.waitForAll()
                }
            }
        }
    }
}
