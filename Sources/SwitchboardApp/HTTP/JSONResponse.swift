import Hummingbird
import SwitchboardCore

enum JSONResponse {
    static func make(_ status: HTTPResponse.Status = .ok, _ body: JSONValue) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: body.encoded())))
    }

    /// `{"data": …}`, the shape of every successful /v1 answer.
    static func data(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
        make(status, .object(["data": value]))
    }
}
