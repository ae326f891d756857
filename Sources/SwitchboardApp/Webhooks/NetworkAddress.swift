#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An IP address, to decide whether webhooks may be delivered to it.
enum NetworkAddress: Sendable, Hashable, CustomStringConvertible {
    /// In host byte order.
    case v4(UInt32)
    /// 16 bytes.
    case v6([UInt8])

    /// A host written as an address, read the way the system resolver reads it: IPv4 in any of `inet_aton`'s forms
    /// (`127.1`, `2130706433`, `0x7f.0.0.1`, `0177.0.0.1` are all 127.0.0.1) and IPv6 as `inet_pton` reads it.
    /// Nil for a name.
    init?(numericHost host: String) {
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        guard !bare.isEmpty, !bare.contains(where: \.isWhitespace) else { return nil }
        var v4 = in_addr()
        if inet_aton(bare, &v4) != 0 {
            self = .v4(UInt32(bigEndian: v4.s_addr))
            return
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, bare, &v6) == 1 {
            self = .v6(withUnsafeBytes(of: &v6) { Array($0) })
            return
        }
        return nil
    }

    /// Loopback, private, link-local, carrier-grade NAT, unspecified, multicast or reserved: not somewhere a public
    /// webhook receiver lives, and often somewhere an attacker would like the gateway to post to.
    var isPrivate: Bool {
        switch self {
        case .v4(let address):
            let (a, b) = (address >> 24, (address >> 16) & 0xff)
            return a == 0 || a == 10 || a == 127 || a >= 224
                || (a == 169 && b == 254) || (a == 172 && (16...31).contains(b)) || (a == 192 && b == 168)
                || (a == 100 && (64...127).contains(b)) || (a == 198 && (18...19).contains(b))
                || (address >> 8) == 0xc0_00_00  // 192.0.0.0/24
        case .v6(let bytes):
            if bytes[0..<12].allSatisfy({ $0 == 0 }) {
                // ::, ::1, and the deprecated IPv4-compatible ::a.b.c.d
                return bytes[12..<15].allSatisfy({ $0 == 0 }) && bytes[15] <= 1 || Self.embeddedV4(bytes).isPrivate
            }
            if bytes[0..<10].allSatisfy({ $0 == 0 }) && bytes[10] == 0xff && bytes[11] == 0xff { return Self.embeddedV4(bytes).isPrivate }
            if bytes[0..<12] == [0x00, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0] { return Self.embeddedV4(bytes).isPrivate }  // NAT64
            return bytes[0] & 0xfe == 0xfc  // unique local fc00::/7
                || (bytes[0] == 0xfe && bytes[1] & 0x80 == 0x80)  // link-local fe80::/10 and site-local fec0::/10
                || bytes[0] == 0xff  // multicast
        }
    }

    private static func embeddedV4(_ bytes: [UInt8]) -> NetworkAddress {
        .v4(bytes[12...].reduce(0) { $0 << 8 | UInt32($1) })
    }

    var description: String {
        switch self {
        case .v4(let address):
            return [24, 16, 8, 0].map { String((address >> $0) & 0xff) }.joined(separator: ".")
        case .v6(var bytes):
            var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
            inet_ntop(AF_INET6, &bytes, &text, socklen_t(text.count))
            return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
    }
}
