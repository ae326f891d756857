/// Where a PostgreSQL store lives: `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?sslmode=disable|prefer|require]`.
/// Parsed once, with a reason for each refusal; `description` never shows the password.
public struct PostgresURL: Sendable, Hashable, CustomStringConvertible {
    public enum TLSMode: String, Sendable, Hashable, CaseIterable { case disable, prefer, require }

    /// Why a text is not a PostgreSQL URL, worded to follow "storage.postgres …".
    public struct Invalid: Error, Sendable, Hashable {
        public var reason: String
        init(_ reason: String) { self.reason = reason }
    }

    public var username: String
    public var password: Secret?
    public var host: String
    public var port: Int
    public var database: String
    public var tls: TLSMode

    public init(parsing text: String) throws(Invalid) {
        guard let schemeEnd = text.range(of: "://"), ["postgres", "postgresql"].contains(text[..<schemeEnd.lowerBound]) else {
            throw Invalid("must start with postgres:// (postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE)")
        }
        var rest = Substring(text[schemeEnd.upperBound...])
        var query: Substring = ""
        if let mark = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: mark)...]
            rest = rest[..<mark]
        }
        guard let at = rest.lastIndex(of: "@") else { throw Invalid("names no user (USER@HOST)") }
        let credentials = rest[..<at]
        let location = rest[rest.index(after: at)...]
        let user = credentials.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        guard let name = Self.decoded(user[0]), !name.isEmpty else { throw Invalid("names no user (USER@HOST)") }
        username = name
        if user.count == 2 {
            guard let secret = Self.decoded(user[1]) else { throw Invalid("has a badly percent-encoded password") }
            password = Secret(secret)
        }
        guard let slash = location.firstIndex(of: "/") else { throw Invalid("names no database (HOST/DATABASE)") }
        guard let database = Self.decoded(location[location.index(after: slash)...]), !database.isEmpty,
              !database.contains("/") else { throw Invalid("names no database (HOST/DATABASE)") }
        self.database = database
        let hostPort = location[..<slash]
        if let colon = hostPort.lastIndex(of: ":"), !hostPort.hasSuffix("]") {
            guard let port = Int(hostPort[hostPort.index(after: colon)...]), (1...65535).contains(port) else {
                throw Invalid("has a port that is not a number from 1 to 65535")
            }
            host = String(hostPort[..<colon])
            self.port = port
        } else {
            host = String(hostPort)
            port = 5432
        }
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { throw Invalid("names no host") }
        tls = .prefer
        for pair in query.split(separator: "&") where !pair.isEmpty {
            let parts = pair.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, parts[0] == "sslmode" else {
                throw Invalid("takes only the sslmode parameter, not \"\(parts[0])\"")
            }
            guard let mode = TLSMode(rawValue: String(parts[1])) else {
                throw Invalid("sslmode must be one of disable, prefer, require")
            }
            tls = mode
        }
    }

    public var description: String {
        let credentials = password == nil ? username : username + ":<redacted>"
        let shownHost = host.contains(":") ? "[\(host)]" : host
        return "postgres://\(credentials)@\(shownHost):\(port)/\(database)?sslmode=\(tls.rawValue)"
    }

    private static func decoded(_ text: Substring) -> String? {
        var bytes: [UInt8] = []
        var index = text.utf8.startIndex
        let utf8 = text.utf8
        while index != utf8.endIndex {
            let byte = utf8[index]
            if byte == UInt8(ascii: "%") {
                let first = utf8.index(after: index)
                guard first != utf8.endIndex else { return nil }
                let second = utf8.index(after: first)
                guard second != utf8.endIndex, let high = hex(utf8[first]), let low = hex(utf8[second]) else { return nil }
                bytes.append(high << 4 | low)
                index = utf8.index(after: second)
            } else {
                bytes.append(byte)
                index = utf8.index(after: index)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hex(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
