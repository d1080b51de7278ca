import TendModel

/// What apply knows while it walks: the current attributes and ids of every object, and how each step ended.
actor ApplyState {
    private(set) var values: [ResourceAddress: [String: Value]]
    private(set) var ids: [ResourceAddress: String]
    private(set) var result = ApplyResult()
    /// Old objects of create-before-destroy replacements, deleted in the last phase.
    private(set) var deposed: [ResourceAddress: (id: String, attributes: [String: Value])] = [:]

    init(values: [ResourceAddress: [String: Value]], ids: [ResourceAddress: String]) {
        self.values = values
        self.ids = ids
    }

    func record(_ address: ResourceAddress, id: String?, attributes: [String: Value]?) {
        if let id { ids[address] = id } else { ids[address] = nil }
        values[address] = attributes
    }

    func depose(_ address: ResourceAddress, id: String, attributes: [String: Value]) {
        deposed[address] = (id, attributes)
    }

    func succeed(_ address: ResourceAddress, _ action: ChangeAction) {
        result.succeeded[address] = action
    }

    func fail(_ address: ResourceAddress, _ reason: String) {
        result.failed[address] = reason
        result.succeeded[address] = nil
    }

    func skip(_ address: ResourceAddress) {
        if result.failed[address] == nil, !result.skipped.contains(address) { result.skipped.append(address) }
    }

    func hasFailed(_ address: ResourceAddress) -> Bool { result.failed[address] != nil || result.skipped.contains(address) }

    func markCancelled() { result.wasCancelled = true }

    func finish() -> ApplyResult {
        result.skipped.sort()
        return result
    }
}
