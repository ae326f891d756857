import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import SwitchboardHTTP

/// Hummingbird's HTTP/1 child channel with a request-head deadline in front of it (see `HeadDeadlineHandler`);
/// the keep-alive idle timeout is Hummingbird's own.
struct GuardedHTTP1Channel: ServerChildChannel {
    typealias Value = FinishingConnection

    let responder: HTTPChannelHandler.Responder
    let configuration: HTTP1Channel.Configuration
    let headerTimeout: TimeAmount

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        let deadline = HeadDeadlineHandler(timeout: headerTimeout)
        do {
            try channel.pipeline.syncOperations.addHandler(deadline)
        } catch {
            return channel.eventLoop.makeFailedFuture(error)
        }
        // Set up on the channel's event loop, where both handlers live.
        let bound = NIOLoopBound(deadline, eventLoop: channel.eventLoop)
        var configuration = self.configuration
        configuration.additionalChannelHandlers = { [RequestHeadObserver(deadline: bound.value)] }
        return FinishingHTTP1Channel(HTTP1Channel(responder: responder, configuration: configuration))
            .setup(channel: channel, logger: logger)
    }

    func handle(value: Value, logger: Logger) async {
        await FinishingHTTP1Channel(HTTP1Channel(responder: responder, configuration: configuration))
            .handle(value: value, logger: logger)
    }
}

extension HTTPServerBuilder {
    /// HTTP/1 with a deadline for each request head and an idle timeout between requests.
    static func guardedHTTP1(headerTimeout: Duration, idleTimeout: Duration) -> HTTPServerBuilder {
        HTTPServerBuilder { responder in
            GuardedHTTP1Channel(
                responder: responder, configuration: HTTP1Channel.Configuration(idleTimeout: TimeAmount(idleTimeout)),
                headerTimeout: TimeAmount(headerTimeout))
        }
    }
}
