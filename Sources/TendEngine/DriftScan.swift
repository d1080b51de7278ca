import TendModel
import TendState

/// What one drift check found, before it is recorded.
public struct DriftScan: Sendable {
    /// An object at a provider that state does not know.
    public struct Unmanaged: Sendable, Hashable {
        public var type: String
        public var id: String
        /// How findings name it: `type:id`.
        public var address: String { "\(type):\(id)" }
    }

    /// Managed resources that changed or went missing (after policies and ignore rules).
    public var drift: [DriftChange]
    public var unmanaged: [Unmanaged]
    /// Objects the cloud made by itself (a default VPC, every VPC's default security group) that state does not
    /// know: counted apart, not findings, unless the check was asked to include them.
    public var defaults: [Unmanaged] = []
    /// Types whose objects could not be listed (their provider has no listing: local files, every type of a
    /// Terraform plugin), so unmanaged objects of them were not looked for. Sorted.
    public var unlistedTypes: [String] = []
    /// How many resources tend manages (records in state).
    public var managedCount: Int
    /// Findings, one per changed attribute, missing resource or unmanaged object; sensitive values redacted.
    public var findings: [ObservedFinding]
    /// What was checked: managed addresses and `unmanaged:TYPE` for every listed type.
    public var scope: Set<String>
    /// Drift policy per managed address that drifted.
    public var policies: [ResourceAddress: DriftPolicy]
    /// Problems that did not stop the check (a type whose provider cannot list).
    public var warnings: [Diagnostic]
    /// What the check was narrowed to (`--target`, `--exclude`); a partial check lists no type for unmanaged objects.
    public var request = PlanRequest()

    public var changedCount: Int { Set(drift.filter { $0.kind == .changed }.map(\.address)).count }
    public var missingCount: Int { drift.filter { $0.kind == .missing }.count }

    /// managed ÷ (managed + unmanaged), in percent; 100 when there is nothing at all.
    public var coverage: Double {
        let total = managedCount + unmanaged.count
        return total == 0 ? 100 : Double(managedCount) / Double(total) * 100
    }

    public var hasDrift: Bool { !findings.isEmpty }
}
