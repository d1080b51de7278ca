/// A store that can take in a whole state copied from another (`tend state migrate`).
public protocol StateImporting: StateStore {
    /// Writes `snapshot` as this store's state in one transaction: the lineage, serial and stack id as they were, the
    /// resources and deposed objects, history, runs, drift findings and sightings (runs and findings get new ids here,
    /// and every reference follows them), and the audit log row for row with its hashes. The audit chain is verified
    /// where it landed before the transaction commits. Throws `.conflict` when this store already holds a state, and
    /// `.corrupt` when the chain does not verify; nothing is written then.
    func importSnapshot(_ snapshot: StateSnapshot) throws
}
