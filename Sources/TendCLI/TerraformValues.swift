import Foundation
import TendModel

/// Terraform's *values representation* of resources (`planned_values`, `prior_state`, `terraform show -json`): a
/// root module holding one object per resource instance with its attribute values. Sensitive values are null and
/// flagged `true` in `sensitive_values` (Terraform prints them; tend never does); unknown values are left out of
/// `values`, as Terraform leaves them.
enum TerraformValues {
    /// The Terraform version whose JSON formats tend's follow, written as `terraform_version`: tools that read plan and
    /// state JSON recognise a document by that key. tend's own version is in `tend_version`.
    static let terraformVersion = "1.11.0"

    /// `{"root_module": {"resources": [...]}}` for these instances, sorted by address.
    /// With `outputs`, also `"outputs"` beside the root module, as Terraform writes them.
    static func module(_ resources: [Value], outputs: [OutputValue] = []) -> Value {
        var module: [String: Value] = ["root_module": .map(["resources": .list(resources)])]
        if !outputs.isEmpty { module["outputs"] = TerraformOutputs.values(outputs) }
        return .map(module)
    }

    /// One resource instance: address, mode, type, name, index, provider_name, schema_version, values,
    /// sensitive_values.
    static func resource(_ address: ResourceAddress, type: String, provider: String, values: [String: Value],
                         sensitive: SensitiveMarks, schemaVersion: Int = 0) -> Value {
        var entry = instanceHeader(address, type: type, provider: provider)
        entry["schema_version"] = .number(Number(schemaVersion))
        let known = values.compactMapValues(dropUnknown)
        entry["values"] = .map(PlanJSONView.redacted(known, sensitive))
        entry["sensitive_values"] = .map(sensitive.mask(known))
        return .map(entry)
    }

    /// The fields naming a resource instance, as every Terraform JSON format writes them.
    static func instanceHeader(_ address: ResourceAddress, type: String, provider: String, mode: String = "managed") -> [String: Value] {
        var entry: [String: Value] = [
            "address": .string(address.description),
            "mode": .string(mode),
            "type": .string(type),
            "name": .string(address.name),
            "provider_name": .string(provider),
        ]
        switch address.key {
        case let .string(k)?: entry["index"] = .string(k)
        case let .index(i)?: entry["index"] = .number(Number(i))
        case nil: break
        }
        return entry
    }

    /// A state in the values representation (`terraform show -json` without a plan).
    static func state(_ records: [ResourceRecord], outputs: [OutputValue] = [], marks: (ResourceRecord) -> SensitiveMarks) -> Value {
        let resources = records.sorted(byKey: \.address).filter { $0.status != .createPending }.map { record in
            resource(record.address, type: record.type, provider: record.provider, values: record.attributes,
                     sensitive: marks(record), schemaVersion: record.schemaVersion)
        }
        return .map([
            "format_version": .string("1.0"),
            "terraform_version": .string(terraformVersion),
            "tend_version": .string(TendVersion.current),
            "values": module(resources, outputs: outputs),
        ])
    }

    /// RFC 3339 in UTC, as Terraform writes `timestamp`.
    static func timestamp(_ date: Date) -> String {
        date.ISO8601Format()
    }

    /// The value with unknown parts left out (nil when it is unknown itself).
    private static func dropUnknown(_ value: Value) -> Value? {
        switch value {
        case .unknown: return nil
        case let .map(entries): return .map(entries.compactMapValues(dropUnknown))
        case let .list(items): return .list(items.map { dropUnknown($0) ?? .null })
        default: return value
        }
    }
}
