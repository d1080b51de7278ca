import ProviderKit
import TendDiff
import TendModel

extension ApplyStep {
    /// The planned attributes of a create or update. Values the plan knew are taken as they are; when the plan
    /// left some unknown (references to objects created in this run), the configuration saved in the plan is
    /// evaluated against what apply produced, planned by the provider again, and every value the plan did know
    /// must come out the same.
    func plannedAfter(_ change: ResourceChange, spec: ResourceSpec, schema: ResourceSchema, provider: any ResourceProvider,
                      context: ProviderContext) async throws -> [String: Value] {
        let planned = change.after ?? [:]
        let pending = planned.keys.sorted().filter { key in
            schema.attributes[key]?.mode != .computed && planned[key]?.containsUnknown == true
        }
        guard !pending.isEmpty else { return planned }
        let values = await state.values(of: spec.dependencies)
        let desired = schema.typed(Engine.evaluate(spec, values: values))
        if let unresolved = spec.properties.keys.sorted().first(where: { desired[$0]?.containsUnknown == true }) {
            throw EngineError(.planFailed, "\(change.address): \"\(unresolved)\" refers to a value that is still unknown")
        }
        let isUpdate = change.action == .update
        var normalised = try await provider.planObject(type: change.type, desired: desired, prior: isUpdate ? change.before : nil,
                                                       context: context)
        normalised.attributes = schema.typed(normalised.attributes)
        let observation: Observation? = isUpdate ? change.before.map(Observation.present) : nil
        let replanned = Differ(schema: schema).change(address: change.address, provider: change.provider,
                                                      desired: normalised.attributes, options: spec.options, record: nil,
                                                      observation: observation, requiresReplace: normalised.requiresReplace)
        if replanned.action.isReplace && !change.action.isReplace {
            throw EngineError(.inconsistentResult, "\(change.address): with the values known now, \(change.type) must be replaced, "
                              + "but the plan updates it in place; nothing was sent for it. Run tend plan again.")
        }
        let after = replanned.after ?? [:]
        await state.plannedPrivate(change.address, normalised.privateData)
        if let key = Engine.inconsistentKey(planned: planned, actual: after, schema: schema) {
            throw EngineError(.inconsistentResult, "\(change.address): the planned value of \"\(key)\" changed during apply; "
                              + "nothing was sent for it. Run tend plan again.")
        }
        return after
    }

    /// Refuses an object whose provider returned something other than what was planned for a settable attribute.
    func checkResult(_ actual: [String: Value], planned: [String: Value], address: ResourceAddress, schema: ResourceSchema) throws {
        guard let key = Engine.inconsistentKey(planned: planned, actual: actual, schema: schema) else { return }
        throw EngineError(.inconsistentResult, "\(address): the provider returned a value of \"\(key)\" other than the planned "
                          + "one; the object is recorded as it is. Run tend plan to see the difference.")
    }
}

extension Engine {
    /// What a provider is handed to create or update: the planned value of every attribute the configuration can
    /// set, leaving out computed ones and those known only after apply.
    static func providerInput(_ after: [String: Value], schema: ResourceSchema) -> [String: Value] {
        after.filter { key, value in
            guard let attribute = schema.attributes[key] else { return true }
            return attribute.mode != .computed && value != .null && !value.containsUnknown
        }
    }

    /// The first settable attribute whose known planned value `actual` contradicts, in name order; nil when none.
    static func inconsistentKey(planned: [String: Value], actual: [String: Value], schema: ResourceSchema) -> String? {
        planned.keys.sorted().first { key in
            guard let want = planned[key], !want.containsUnknown, want != .null,
                  let attribute = schema.attributes[key], attribute.mode != .computed else { return false }
            return !ValueComparison.isEquivalent(want, actual[key], attribute: attribute)
        }
    }
}
