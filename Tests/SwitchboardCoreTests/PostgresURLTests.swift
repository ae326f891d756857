import SwitchboardCore
import Testing

@Suite struct PostgresURLTests {
    @Test func everyPartIsReadAndThePasswordIsNeverShown() throws {
        let url = try PostgresURL(parsing: "postgres://gateway:s%40cret:x@db.internal:6432/switchboard?sslmode=require")
        #expect(url.username == "gateway")
        #expect(url.password?.value == "s@cret:x")
        #expect(url.host == "db.internal")
        #expect(url.port == 6432)
        #expect(url.database == "switchboard")
        #expect(url.tls == .require)
        #expect(url.description == "postgres://gateway:<redacted>@db.internal:6432/switchboard?sslmode=require")
        #expect(!"\(url)".contains("cret"))
    }

    @Test func defaultsArePort5432AndPreferTLS() throws {
        let url = try PostgresURL(parsing: "postgresql://app@127.0.0.1/messages")
        #expect(url.port == 5432)
        #expect(url.tls == .prefer)
        #expect(url.password == nil)
        #expect(try PostgresURL(parsing: "postgres://app@[::1]:5433/db").host == "::1")
    }

    @Test(arguments: [
        ("mysql://app@host/db", "must start with postgres://"),
        ("postgres://host/db", "names no user"),
        ("postgres://@host/db", "names no user"),
        ("postgres://app@host", "names no database"),
        ("postgres://app@host/", "names no database"),
        ("postgres://app@/db", "names no host"),
        ("postgres://app@host:0/db", "port"),
        ("postgres://app@host:http/db", "port"),
        ("postgres://app:%zz@host/db", "percent-encoded"),
        ("postgres://app@host/db?sslmode=verify-full", "sslmode must be"),
        ("postgres://app@host/db?timeout=3", "only the sslmode parameter"),
    ])
    func aBadURLSaysWhatIsWrong(text: String, reason: String) {
        #expect(throws: PostgresURL.Invalid.self) { try PostgresURL(parsing: text) }
        do {
            _ = try PostgresURL(parsing: text)
        } catch {
            #expect(error.reason.contains(reason), "\(error.reason)")
        }
    }
}
