import Foundation
import SwitchboardCore

extension JSONValue {
    /// A request body: as `parse`, but an object that names a key twice is refused, not read as its last value.
    static func parseRequest(_ bytes: some Collection<UInt8>) throws(APIError) -> JSONValue {
        switch JSONParser.parse(bytes, as: JSONValue.self, duplicateKeys: .refuse) {
        case .success(let value): return value
        case .failure(.duplicateKey(let key)):
            throw APIError(.invalidRequest, "the body names the key \"\(key)\" twice in one object", details: ["path": "$"])
        case .failure(.invalid): throw APIError(.invalidRequest, "$: the body is not valid JSON", details: ["path": "$"])
        }
    }

    /// Refuses a body sent as anything but JSON. A missing Content-Type is taken as JSON, for hand-written requests.
    static func requireJSONContentType(_ value: String?) throws(APIError) {
        guard let value else { return }
        let mediaType = value.split(separator: ";", maxSplits: 1).first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        guard mediaType == "application/json" else {
            throw APIError(.unsupportedMediaType, "Content-Type must be application/json, not \"\(value.prefix(100))\"")
        }
    }
}
