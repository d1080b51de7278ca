import TendModel
import TendState

/// What apply knows while it walks: the current attributes and ids of every object, and how each step ended.
actor ApplyState {
    // Callers read single entries through methods: handing out whole dictionaries would make every
    // later write copy them while a snapshot is alive, quadratic over a large apply.
    private var values: [ResourceAddress: [String: Value]]
    /// The objects whose attributes something reads (a spec, a data source or an output): only theirs are kept, so an
    /// apply of 10,000 files nothing refers to does not hold 10,000 dictionaries of attributes to the end.
    private let kept: Set<ResourceAddress>
    private var ids: [ResourceAddress: String]
    private var result = ApplyResult()
    /// Old objects of create-before-destroy replacements, deleted in the last phase.
    private var deposed: [ResourceAddress: (id: String, attributes: [String: Value])] = [:]

    init(values: [ResourceAddress: [String: Value]], ids: [ResourceAddress: String], kept: Set<ResourceAddress>) {
        self.values = values.filter { kept.contains($0.key) }
        self.kept = kept
        self.ids = ids
    }

    /// The current attributes of the given objects (those that exist).
    func values(of addresses: [ResourceAddress]) -> [ResourceAddress: [String: Value]] {
        var out: [ResourceAddress: [String: Value]] = [:]
        for address in addresses { out[address] = values[address] }
        return out
    }

    func id(of address: ResourceAddress) -> String? { ids[address] }

    /// Private data a plan made at apply time (for values the saved plan left unknown) returned, by address.
    private var replannedPrivate: [ResourceAddress: String] = [:]

    func plannedPrivate(_ address: ResourceAddress, _ data: String?) { replannedPrivate[address] = data }

    func replannedPrivateData(of address: ResourceAddress) -> String? { replannedPrivate[address] }

    func deposedObject(_ address: ResourceAddress) -> (id: String, attributes: [String: Value])? { deposed[address] }

    func record(_ address: ResourceAddress, id: String?, attributes: [String: Value]?) {
        if let id { ids[address] = id } else { ids[address] = nil }
        if kept.contains(address) { values[address] = attributes }
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

    /// The state error that stopped the apply: the state database is damaged, so nothing more may be sent to
    /// providers (whatever they did could not be recorded) or written to state.
    private(set) var stoppingError: StateError?

    /// Stops the apply because of `error`; the first such error is kept.
    func stop(_ error: StateError) {
        if stoppingError == nil { stoppingError = error }
    }

    var isStopped: Bool { stoppingError != nil }

    func finish() -> ApplyResult {
        result.skipped.sort()
        return result
    }
}
