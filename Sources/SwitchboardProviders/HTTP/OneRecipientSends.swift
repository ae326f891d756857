import SwitchboardCore

/// For providers that take one recipient per request: a send's recipients go out concurrently, `concurrency` at a
/// time, and come back in request order.
enum OneRecipientSends {
    static func perform(
        _ recipients: [PhoneNumber], concurrency: Int,
        _ sendOne: @escaping @Sendable (PhoneNumber) async -> RecipientResult
    ) async -> [RecipientResult] {
        if recipients.count == 1 { return [await sendOne(recipients[0])] }
        var results = [RecipientResult?](repeating: nil, count: recipients.count)
        await withTaskGroup(of: (Int, RecipientResult).self) { group in
            var next = 0
            func schedule() {
                let index = next
                let recipient = recipients[index]
                next += 1
                group.addTask { (index, await sendOne(recipient)) }
            }
            while next < min(concurrency, recipients.count) { schedule() }
            for await (index, result) in group {
                results[index] = result
                if next < recipients.count { schedule() }
            }
        }
        return results.map { $0! }
    }
}
