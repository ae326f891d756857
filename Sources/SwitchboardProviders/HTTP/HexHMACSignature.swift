import Crypto
import Foundation
import SwitchboardCore

/// A `sha256=<hex HMAC-SHA256 of the raw body>` header, the form Meta's webhooks and the providers that copy them
/// use; compared in constant time against the exact bytes received.
enum HexHMACSignature {
    static func isValid(header: String?, body: [UInt8], secret: String) -> Bool {
        guard let header, header.hasPrefix("sha256="), !secret.isEmpty else { return false }
        return ConstantTime.equal(Array(header.lowercased().utf8), Array(sign(body, secret: secret).utf8))
    }

    static func sign(_ body: [UInt8], secret: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Data(secret.utf8)))
        return "sha256=" + mac.map { String(format: "%02x", $0) }.joined()
    }
}
