import SwitchboardCore

extension RouteExplanation {
    /// `GET /v1/route`'s answer; fields without a value are left out.
    var json: JSONValue {
        var object: [String: JSONValue] = [
            "to": .string(to), "kind": .string(kind.rawValue), "reason": .string(reason),
            "candidates": .array(candidates.map(\.json)),
        ]
        object["callingCode"] = callingCode.map(JSONValue.string)
        object["country"] = country.map(JSONValue.string)
        object["route"] = route.map(JSONValue.string)
        object["strategy"] = strategy.map { .string($0.rawValue) }
        object["failover"] = failover.map { .string($0.rawValue) }
        object["wouldUse"] = wouldUse.map(JSONValue.string)
        object["error"] = error.map(JSONValue.string)
        return .object(object)
    }
}

extension RouteExplanation.Candidate {
    var json: JSONValue {
        var object: [String: JSONValue] = [
            "order": .int(order), "account": .string(account), "provider": .string(provider),
            "circuit": .string(circuit.rawValue), "available": .bool(available),
        ]
        object["pod"] = pod.map(JSONValue.string)
        object["region"] = region.map(JSONValue.string)
        object["weight"] = weight.map { .double($0) }
        object["skipReason"] = skipReason.map(JSONValue.string)
        object["skipCode"] = skipCode.map(JSONValue.string)
        return .object(object)
    }
}
