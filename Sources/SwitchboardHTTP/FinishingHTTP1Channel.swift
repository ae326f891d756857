import Hummingbird
import HummingbirdCore
import Logging
import NIOCore

/// A connection's async channel that is finished when the server lets go of it. A connection accepted while a
/// Hummingbird server shuts down is dropped before it is handled, and NIO traps (in release builds too) when an
/// unfinished writer is deinited; finishing it here makes that drop harmless.
public final class FinishingConnection: ServerChildChannelValue {
    public let connection: HTTP1Channel.Value
    public var channel: any Channel { connection.channel }

    public init(_ connection: HTTP1Channel.Value) { self.connection = connection }

    deinit { connection.outbound.finish() }
}

/// Hummingbird's HTTP/1 child channel, with each connection wrapped in a `FinishingConnection`.
public struct FinishingHTTP1Channel: ServerChildChannel {
    public typealias Value = FinishingConnection

    let http1: HTTP1Channel

    public init(_ http1: HTTP1Channel) { self.http1 = http1 }

    public func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        http1.setup(channel: channel, logger: logger).map(FinishingConnection.init)
    }

    public func handle(value: Value, logger: Logger) async {
        await http1.handle(value: value.connection, logger: logger)
    }
}

extension HTTPServerBuilder {
    /// `.http1()` with connections that a stopping server drops finished instead of trapping.
    public static func finishingHTTP1(configuration: HTTP1Channel.Configuration = .init()) -> HTTPServerBuilder {
        HTTPServerBuilder { responder in
            FinishingHTTP1Channel(HTTP1Channel(responder: responder, configuration: configuration))
        }
    }
}
