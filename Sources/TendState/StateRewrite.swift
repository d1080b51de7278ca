import TendModel

/// How `StateStore.reseal(to:audit:rewrite:)` rewrites a state's values in one transaction (`tend state rekey`).
public struct StateRewrite {
    /// Rewrites a resource or deposed object: opened under the old key, sealed under the new one.
    public var record: (ResourceRecord) throws -> ResourceRecord
    /// Rewrites a history entry.
    public var history: (HistoryEntry) throws -> HistoryEntry
    /// Rewrites a drift finding's values (only its expected, actual and context are written back).
    public var finding: (DriftFinding) throws -> DriftFinding
    /// Rewrites a recorded output.
    public var output: (OutputValue) throws -> OutputValue

    /// A rewrite of records, history entries, drift findings and outputs.
    public init(record: @escaping (ResourceRecord) throws -> ResourceRecord,
                history: @escaping (HistoryEntry) throws -> HistoryEntry,
                finding: @escaping (DriftFinding) throws -> DriftFinding,
                output: @escaping (OutputValue) throws -> OutputValue = { $0 }) {
        self.record = record
        self.history = history
        self.finding = finding
        self.output = output
    }

    /// How many rows a rewrite went through.
    public struct Counts: Sendable, Hashable {
        public var resources = 0
        public var deposed = 0
        public var history = 0
        public var findings = 0
        public var outputs = 0

        public init(resources: Int = 0, deposed: Int = 0, history: Int = 0, findings: Int = 0, outputs: Int = 0) {
            self.resources = resources
            self.deposed = deposed
            self.history = history
            self.findings = findings
            self.outputs = outputs
        }
    }
}
