/// Customers who wrote to a simulated line: their 24-hour window is open there.
public actor CustomerBook {
    private var open: [String: Set<String>] = [:]
    public init() {}
    func opened(endpoint: String, customer: String) { open[endpoint, default: []].insert(customer) }
    public func hasOpenWindow(endpoint: String, customer: String) -> Bool { open[endpoint]?.contains(customer) ?? false }
}
