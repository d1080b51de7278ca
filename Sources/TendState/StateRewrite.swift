import TendModel

/// How `StateStore.reseal(to:audit:rewrite:)` rewrites a state's values in one transaction (`tend state rekey`).
public struct StateRewrite {
    /// Rewrites a resource or deposed object: opened under the old key, sealed under the new one.
    public var record: (ResourceRecord) throws -> ResourceRecord
    /// Rewrites a history entry.
    public var history: (HistoryEntry) throws -> HistoryEntry

    /// A rewrite of records and history entries.
    public init(record: @escaping (ResourceRecord) throws -> ResourceRecord,
                history: @escaping (HistoryEntry) throws -> HistoryEntry) {
        self.record = record
        self.history = history
    }

    /// How many rows a rewrite went through.
    public struct Counts: Sendable, Hashable {
        public var resources = 0
        public var deposed = 0
        public var history = 0

        public init(resources: Int = 0, deposed: Int = 0, history: Int = 0) {
            self.resources = resources
            self.deposed = deposed
            self.history = history
        }
    }
}
