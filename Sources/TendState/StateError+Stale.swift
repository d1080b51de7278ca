/// The error of a compare-and-swap of the serial that found the state moved on.
extension StateError {
    /// The state is not at `expected` but at `found` (nil: no state).
    static func stale(expected: StateVersion?, found: StateVersion?, file: String = #fileID, line: Int = #line) -> StateError {
        StateError(.stale, "the state moved on since it was read: expected \(describe(expected)), found \(describe(found)) "
            + "(another run changed it); nothing was written", file: file, line: line)
    }

    private static func describe(_ version: StateVersion?) -> String {
        version.map { "lineage \($0.lineage), serial \($0.serial)" } ?? "no state"
    }
}
