@testable import SwitchboardCore
import Testing

@Suite struct PhoneNumberTests {
    @Test(arguments: ["+919812345678", "919812345678", "+447700900123", "12025550123", "+12345678"])
    func acceptsE164(raw: String) throws {
        let number = try PhoneNumber(raw)
        #expect(number.e164 == "+" + raw.replacingPlus())
    }

    @Test(arguments: [
        ("", PhoneNumberError.Reason.notDigits), ("+", .notDigits), ("91-98123-45678", .notDigits), ("+91 98123 45678", .notDigits),
        ("abc", .notDigits), ("1234567", .badLength), ("1234567890123456", .badLength), ("0919812345678", .leadingZero), ("++919812345678", .notDigits),
        // Whitespace around the number was stripped, NBSP and newlines included; the README said refused.
        (" +447700900123 ", .notDigits), ("+447700900123\n", .notDigits), ("\u{A0}+447700900123", .notDigits), ("+447700900123\t", .notDigits),
    ])
    func rejectsEverythingElse(raw: String, reason: PhoneNumberError.Reason) {
        #expect(throws: PhoneNumberError(input: raw, reason: reason)) { try PhoneNumber(raw) }
    }

    @Test(arguments: [
        ("919812345678", "91", "IN"), ("12025550123", "1", "US"), ("447700900123", "44", "GB"), ("4915112345678", "49", "DE"),
        ("97150123456", "971", "AE"), ("85291234567", "852", "HK"), ("79161234567", "7", "RU"), ("35312345678", "353", "IE"),
        ("6591234567", "65", "SG"), ("2348012345678", "234", "NG"),
    ])
    func callingCodeTriesOneThenTwoThenThreeDigits(digits: String, code: String, region: String) {
        #expect(CallingCode.of(digits) == CallingCode(code: code, region: region))
    }

    @Test func unassignedPrefixHasNoCallingCode() {
        #expect(CallingCode.of("80912345678") == nil)
        #expect(CallingCode.isAssigned("91"))
        #expect(!CallingCode.isAssigned("999"))
    }
}

private extension String {
    func replacingPlus() -> String { hasPrefix("+") ? String(dropFirst()) : self }
}
