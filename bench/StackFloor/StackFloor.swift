import AsyncHTTPClient
import Foundation
import GRDB
import Hummingbird
import Logging
import NIOCore
import SwitchboardProviders

/// The send path's floor on this stack, for bench/run: the same server, client and store libraries the gateway uses,
/// doing only what every send must (read the request, call the provider, answer) and, with `--sqlite`, writing one row
/// before the provider call and updating it after, as two transactions. No routing, validation, idempotency, metrics or
/// history. What the gateway costs beyond this row is its own; what this row costs beyond nginx is the libraries'.
///
///     stack-floor --port 19083 --upstream http://127.0.0.1:19081/api/v1/messages [--sqlite /tmp/floor.sqlite]
@main
struct StackFloor {
    static func main() async throws {
        let arguments: Arguments
        do {
            arguments = try Arguments(CommandLine.arguments.dropFirst())
        } catch {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            exit(2)
        }
        var logger = Logger(label: "stack-floor")
        logger.logLevel = .error
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .providerCalls)
        let store = try arguments.sqlite.map(FloorStore.init(path:))
        let upstream = arguments.upstream

        let router = Router()
        router.post("/v1/messages") { request, _ -> Response in
            let body = try await request.body.collect(upTo: 1 << 20)
            let id = UUID().uuidString
            try await store?.insert(id: id, body: body)
            var outbound = HTTPClientRequest(url: upstream)
            outbound.method = .POST
            outbound.headers.add(name: "Content-Type", value: "application/json")
            outbound.headers.add(name: "Authorization", value: "Bearer uni_live_bench")
            outbound.body = .bytes(ByteBuffer(string: #"{"to":"15551234567","text":"benchmark"}"#))
            let answer = try await client.execute(outbound, timeout: .seconds(5))
            let answerBody = try await answer.body.collect(upTo: 64 * 1024)
            try await store?.settle(id: id, status: answer.status.code, providerBody: answerBody)
            return Response(status: .ok, headers: [.contentType: "application/json"],
                            body: .init(byteBuffer: ByteBuffer(string: #"{"id":"\#(id)","status":"sent"}"#)))
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: arguments.port)), logger: logger)
        do {
            try await app.runService()
        } catch {
            try await client.shutdown()
            throw error
        }
        try await client.shutdown()
    }
}

struct Arguments {
    var port = 19083
    var upstream = ""
    var sqlite: String?

    init<S: Sequence<String>>(_ arguments: S) throws {
        var iterator = arguments.makeIterator()
        while let flag = iterator.next() {
            guard let value = iterator.next() else { throw UsageError(text: "\(flag) needs a value") }
            switch flag {
            case "--port":
                guard let number = Int(value), (1...65535).contains(number) else { throw UsageError(text: "--port needs a port number, not \(value)") }
                port = number
            case "--upstream": upstream = value
            case "--sqlite": sqlite = value
            default: throw UsageError(text: "unknown option \(flag)")
            }
        }
        if upstream.isEmpty { throw UsageError(text: "--upstream URL is required") }
    }
}

struct UsageError: Error, CustomStringConvertible {
    var text: String
    var description: String { "stack-floor: \(text)" }
}

/// One table, the gateway's journal settings (WAL, synchronous NORMAL), GRDB's own async writes.
struct FloorStore: Sendable {
    let pool: DatabasePool

    init(path: String) throws {
        var configuration = Configuration()
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = NORMAL") }
        pool = try DatabasePool(path: path, configuration: configuration)
        try pool.write { db in
            try db.execute(sql: "CREATE TABLE IF NOT EXISTS message (id TEXT PRIMARY KEY, body BLOB NOT NULL, status INTEGER, providerBody BLOB)")
        }
    }

    func insert(id: String, body: ByteBuffer) async throws {
        let bytes = Data(body.readableBytesView)
        try await pool.write { db in
            try db.cachedStatement(sql: "INSERT INTO message (id, body) VALUES (?, ?)").execute(arguments: [id, bytes])
        }
    }

    func settle(id: String, status: UInt, providerBody: ByteBuffer) async throws {
        let bytes = Data(providerBody.readableBytesView)
        try await pool.write { db in
            try db.cachedStatement(sql: "UPDATE message SET status = ?, providerBody = ? WHERE id = ?").execute(arguments: [Int(status), bytes, id])
        }
    }
}
