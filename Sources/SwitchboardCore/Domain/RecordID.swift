import Foundation

/// Ids for stored rows: a prefix, then 32 lowercase hex digits: 12 of milliseconds since 1970, 20 random.
/// Time first keeps new rows at the end of the primary-key index, so a commit touches a few pages, not one per row.
public enum RecordID {
    public static func make(_ prefix: String, at date: Date) -> String {
        let ms = UInt64(max(0, date.timeIntervalSince1970 * 1000))
        var random = SystemRandomNumberGenerator()
        let high = random.next()
        let low = random.next() & 0xFFFF
        var bytes = Array(prefix.utf8)
        bytes.reserveCapacity(bytes.count + 32)
        func hex(_ value: UInt64, digits: Int) {
            for shift in stride(from: (digits - 1) * 4, through: 0, by: -4) {
                let nibble = UInt8((value >> UInt64(shift)) & 0xF)
                bytes.append(nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10)
            }
        }
        hex(ms & 0xFFFF_FFFF_FFFF, digits: 12)
        hex(high, digits: 16)
        hex(low, digits: 4)
        return String(decoding: bytes, as: UTF8.self)
    }
}
