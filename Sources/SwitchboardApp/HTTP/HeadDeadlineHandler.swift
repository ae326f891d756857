import NIOCore

/// Closes a connection whose request head is not complete `timeout` after its first byte: a client sending one header
/// byte a second (slowloris) otherwise holds a connection, and its file descriptor, for as long as it likes. Sits first
/// in the pipeline, on raw bytes; `RequestHeadObserver`, after the HTTP decoder, says when a head is done and when the
/// response ends. Waiting for the first byte of the next request is the keep-alive idle timeout's business.
final class HeadDeadlineHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let timeout: TimeAmount
    private var awaitingHead = true
    private var deadline: Scheduled<Void>?
    private var context: ChannelHandlerContext?

    init(timeout: TimeAmount) { self.timeout = timeout }

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }

    func handlerRemoved(context: ChannelHandlerContext) {
        deadline?.cancel()
        deadline = nil
        self.context = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if awaitingHead, deadline == nil {
            deadline = context.eventLoop.assumeIsolated().scheduleTask(in: timeout) { [weak self] in
                self?.deadline = nil
                self?.context?.close(promise: nil)
            }
        }
        context.fireChannelRead(data)
    }

    func channelInactive(context: ChannelHandlerContext) {
        deadline?.cancel()
        deadline = nil
        context.fireChannelInactive()
    }

    /// A request head was decoded: the deadline is met.
    func headArrived() {
        awaitingHead = false
        deadline?.cancel()
        deadline = nil
    }

    /// The last response was written: the next byte starts the next head's deadline.
    func responseEnded() { awaitingHead = true }
}
