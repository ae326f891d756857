/// Klaros's signature: `X-Klaros-Signature: sha256=<hex HMAC-SHA256 of the raw body>`, compared in constant time.
public enum KlarosSignature {
    public static func isValid(header: String?, body: [UInt8], secret: String) -> Bool {
        HexHMACSignature.isValid(header: header, body: body, secret: secret)
    }
}
