import AsyncHTTPClient
import Foundation
import NIOCore

/// HTTP calls a simulator makes on its own (status callbacks, inbound messages), run by the host's task group.
public struct SimulatedCallback: Sendable {
    public var method: String
    public var url: String
    public var headers: [(String, String)]
    public var body: String?
    /// Wait this long after the previous step of the same job.
    public var delayMs: Int
}

/// A queue of callback jobs; each job's steps run in order (sent before delivered before read).
final class CallbackQueue: Sendable {
    private let stream: AsyncStream<[SimulatedCallback]>
    private let continuation: AsyncStream<[SimulatedCallback]>.Continuation

    init() {
        (stream, continuation) = AsyncStream.makeStream(of: [SimulatedCallback].self)
    }

    /// Only loopback targets are called: a simulator is a test instrument and must never reach past this machine.
    func enqueue(_ steps: [SimulatedCallback]) {
        let local = steps.filter { Self.isLoopback($0.url) }
        if !local.isEmpty { continuation.yield(local) }
    }

    static func isLoopback(_ url: String) -> Bool {
        guard let host = URL(string: url)?.host?.lowercased() else { return false }
        return host == "localhost" || host.hasPrefix("127.") || host == "::1" || host == "[::1]"
    }

    /// Runs until cancelled: every job in its own child task, steps in sequence. Failures are dropped, as a provider's would be retried later.
    func run() async {
        var configuration = HTTPClient.Configuration()
        configuration.timeout.connect = .seconds(1)
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        await withDiscardingTaskGroup { group in
            for await job in stream {
                group.addTask {
                    for step in job {
                        do { try await Task.sleep(for: .milliseconds(step.delayMs)) } catch { return }
                        var request = HTTPClientRequest(url: step.url)
                        request.method = .init(rawValue: step.method)
                        for (name, value) in step.headers { request.headers.add(name: name, value: value) }
                        if let body = step.body { request.body = .bytes(ByteBuffer(string: body)) }
                        _ = try? await client.execute(request, timeout: .seconds(5)).body.collect(upTo: 1 << 16)
                    }
                }
            }
        }
        try? await client.shutdown()
    }

    func finish() { continuation.finish() }
}
