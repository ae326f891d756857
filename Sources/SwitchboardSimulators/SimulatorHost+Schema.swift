import SwitchboardCore

extension SimulatorHost.Setup {
    /// The keys gateway.json's `simulators` section may use.
    public static let schema = ConfigSchema.object([
        "host": .value, "controlPort": .value,
        "kaleyra": .object([
            "pods": .map(.value), "errorStyle": .value, "callbackStatuses": .value, "callbackDelayMs": .value,
            "accounts": .array(.object(["sid": .value, "apiKey": .value, "pod": .value, "lines": .value, "receiveURL": .value])),
        ]),
        "klaros": .array(.object(Dictionary(uniqueKeysWithValues: [
            "id", "port", "apiKey", "numbers", "templates", "windowsOpen", "openWindows", "wrapInData", "webhookURL",
            "webhookSecret", "callbackStatuses", "callbackDelayMs",
        ].map { ($0, ConfigSchema.value) }))),
        "cloud-api": .array(.object(Dictionary(uniqueKeysWithValues: [
            "id", "port", "accessToken", "phoneNumberIds", "templates", "windowsOpen", "webhookURL", "appSecret",
            "callbackStatuses", "callbackDelayMs",
        ].map { ($0, ConfigSchema.value) }))),
    ])
}
