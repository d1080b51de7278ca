import TendModel

/// Outputs in Terraform's JSON formats: `outputs` of the values representation (state, `planned_values`),
/// `output_changes` of plan JSON, and `outputs` of the configuration. A sensitive output's value is never written:
/// it is null (or left out) and flagged `"sensitive": true`.
enum TerraformOutputs {
    /// `{"NAME": {"sensitive": …, "value": …, "type": …}}`; values known only after apply are left out.
    static func values(_ outputs: [OutputValue]) -> Value {
        .map(Dictionary(uniqueKeysWithValues: outputs.map { output in
            var entry: [String: Value] = ["sensitive": .bool(output.sensitive)]
            if !output.sensitive, !output.value.containsUnknown {
                entry["value"] = output.value
                entry["type"] = type(of: output.value)
            }
            return (output.name, Value.map(entry))
        }))
    }

    /// `output_changes`: each output's actions, before and after (null where sensitive or unknown), and its masks.
    static func changes(_ changes: [OutputChange]) -> Value {
        .map(Dictionary(uniqueKeysWithValues: changes.filter { $0.before != nil || $0.after != nil }.map { change in
            let shown = { (value: Value?) -> Value in
                guard let value, !change.sensitive else { return .null }
                return value.containsUnknown ? .null : value
            }
            return (change.name, Value.map([
                "actions": .list(change.action.terraformActions.map(Value.string)),
                "before": shown(change.before),
                "after": shown(change.after),
                "after_unknown": .bool(change.after?.containsUnknown == true),
                "before_sensitive": .bool(change.sensitive && change.before != nil),
                "after_sensitive": .bool(change.sensitive && change.after != nil),
            ]))
        }))
    }

    /// The configuration's `outputs`: each one's expression, description and sensitivity.
    static func configuration(_ specs: [OutputSpec]) -> Value {
        .map(Dictionary(uniqueKeysWithValues: specs.map { spec in
            var entry: [String: Value] = [
                "expression": spec.sensitive && spec.value.references.isEmpty ? .map([:]) : TerraformConfiguration.render(spec.value),
            ]
            if let description = spec.description { entry["description"] = .string(description) }
            if spec.sensitive { entry["sensitive"] = .bool(true) }
            return (spec.name, Value.map(entry))
        }))
    }

    /// Terraform's type expression of a value: `"string"`, `"number"`, `"bool"`, `["tuple", [...]]`,
    /// `["object", {...}]`, `"dynamic"` for null.
    static func type(of value: Value) -> Value {
        switch value {
        case .string: return .string("string")
        case .number: return .string("number")
        case .bool: return .string("bool")
        case let .map(entries): return .list([.string("object"), .map(entries.mapValues(type(of:)))])
        case .list, .set: return .list([.string("tuple"), .list((value.elements ?? []).map(type(of:)))])
        default: return .string("dynamic")
        }
    }
}
