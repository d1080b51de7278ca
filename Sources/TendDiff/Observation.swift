// TendDiff is pure: from desired values, recorded state, refreshed observations
// and schemas it computes planned changes and drift. It sees no provider, no
// SQLite, no file system and no clock.

import TendModel

/// What refresh saw for a recorded object.
public enum Observation: Sendable, Hashable {
    /// The object exists with these attributes.
    case present([String: Value])
    /// The object is gone.
    case absent
}
