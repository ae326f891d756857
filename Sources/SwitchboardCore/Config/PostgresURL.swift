import Foundation

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

    /// Percent-decoded text; nil for a bad escape or bytes that are not UTF-8.
    private static func decoded(_ text: Substring) -> String? { String(text).removingPercentEncoding }
}
