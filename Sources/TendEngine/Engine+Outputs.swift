import TendModel
import TendState

extension Engine {
    /// What a plan does to the outputs: each declared one evaluated against the planned values (unknown where a
    /// value is known only after apply), against what state recorded. A destroy plan removes them all; a partial
    /// plan leaves alone the outputs that read something outside it. Recorded outputs no longer declared go.
    static func plannedOutputs(_ specs: [OutputSpec], recorded: [OutputValue], changes: [ResourceChange],
                               reads: [DataSourceRead], destroy: Bool, covered: Set<ResourceAddress>?) -> [OutputChange] {
        let before = Dictionary(recorded.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        // Only the planned values some output reads are gathered (none when no output is declared).
        let read = Set(specs.flatMap { $0.value.references.map(\.address) })
        var values: [ResourceAddress: [String: Value]] = [:]
        for index in changes.indices where read.contains(changes[index].address) && changes[index].action != .delete {
            if let after = changes[index].after { values[changes[index].address] = after }
        }
        for read in reads {
            if let result = read.result { values[read.spec.address] = result }
        }
        var out: [OutputChange] = []
        for spec in specs {
            let previous = before[spec.name]
            if destroy {
                if covered == nil || spec.dependencies.contains(where: { covered?.contains($0) == true }) {
                    out.append(OutputChange(name: spec.name, before: previous?.value, after: nil, sensitive: spec.sensitive))
                }
                continue
            }
            if let covered, !spec.dependencies.allSatisfy(covered.contains) { continue }
            let after = spec.value.evaluate { reference in values[reference.address]?.value(at: reference.path) }
            out.append(OutputChange(name: spec.name, before: previous?.value, after: after,
                                    sensitive: spec.sensitive || previous?.sensitive == true))
        }
        let declared = Set(specs.map(\.name))
        for output in recorded where !declared.contains(output.name) && covered == nil {
            out.append(OutputChange(name: output.name, before: output.value, after: nil, sensitive: output.sensitive))
        }
        return out.sorted { $0.name < $1.name }
    }

    /// The outputs to record after an apply: each declared output whose value is fully known from what the apply
    /// left (`values`) or, for objects the plan did not touch, from state. An output that cannot be worked out (what
    /// it reads failed or is gone) is not recorded. A full destroy leaves none.
    func outputsAfterApply(_ plan: Plan, values: [ResourceAddress: [String: Value]]) async throws -> [OutputValue] {
        if plan.isDestroy && !plan.request.isPartial { return [] }
        var known = values
        var out: [OutputValue] = []
        for spec in plan.outputSpecs {
            for address in spec.dependencies where known[address] == nil && !address.isDataSource {
                if let record = try await state.resource(address), record.status == .created { known[address] = record.attributes }
            }
            let value = spec.value.evaluate { reference in known[reference.address]?.value(at: reference.path) }
            if !value.containsUnknown { out.append(OutputValue(name: spec.name, value: value, sensitive: spec.sensitive)) }
        }
        return out
    }
}
