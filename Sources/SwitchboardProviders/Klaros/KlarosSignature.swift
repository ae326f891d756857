import Crypto
import Foundation
import SwitchboardCore

/// Klaros's signature: `X-Klaros-Signature: sha256=<hex HMAC-SHA256 of the raw body>`, compared in constant time.
public enum KlarosSignature {
    public static func isValid(header: String?, body: [UInt8], secret: String) -> Bool {
        guard let header, header.hasPrefix("sha256="), !secret.isEmpty else { return false }
        let mac = HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Data(secret.utf8)))
        let expected = Array(("sha256=" + mac.map { String(format: "%02x", $0) }.joined()).utf8)
        return ConstantTime.equal(Array(header.lowercased().utf8), expected)
    }
}
