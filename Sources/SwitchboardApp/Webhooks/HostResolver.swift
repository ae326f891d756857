import NIOPosix
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Looks host names up with the system resolver (`getaddrinfo`), the same one outbound connections use.
enum HostResolver {
    struct Failure: Error, CustomStringConvertible {
        var host: String
        var reason: String
        var description: String { "could not resolve \(host): \(reason)" }
    }

    /// On NIO's thread pool for blocking calls: a lookup can take seconds and must not hold an event loop or a pool
    /// thread of Swift concurrency.
    @Sendable static func system(_ host: String) async throws -> [NetworkAddress] {
        try await NIOThreadPool.singleton.runIfActive { try lookup(host) }
    }

    static func lookup(_ host: String) throws -> [NetworkAddress] {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        #if canImport(Glibc)
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #else
        hints.ai_socktype = SOCK_STREAM
        #endif
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, nil, &hints, &list)
        guard status == 0, let first = list else {
            throw Failure(host: host, reason: String(cString: gai_strerror(status)))
        }
        defer { freeaddrinfo(first) }
        var addresses: [NetworkAddress] = []
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let current = entry {
            if let socketAddress = current.pointee.ai_addr {
                switch current.pointee.ai_family {
                case AF_INET:
                    let raw = socketAddress.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee.sin_addr.s_addr }
                    addresses.append(.v4(UInt32(bigEndian: raw)))
                case AF_INET6:
                    var raw = socketAddress.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { $0.pointee.sin6_addr }
                    addresses.append(.v6(withUnsafeBytes(of: &raw) { Array($0) }))
                default:
                    break
                }
            }
            entry = current.pointee.ai_next
        }
        return addresses
    }
}
