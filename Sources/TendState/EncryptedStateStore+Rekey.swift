import Foundation
import TendModel

extension EncryptedStateStore {
    /// Re-encrypts the whole state under `newKey` in `mode` (nil: removes the encryption) in one transaction
    /// (`tend state rekey`): every resource, deposed object, history entry and drift finding is opened with this store's key, sealed
    /// under the new one, and opened again and compared before the transaction commits; then the new key's check is
    /// recorded with `audit`. Afterwards the state is read back whole with the new key. Values written before the
    /// state was encrypted are sealed too. The caller holds the state lock.
    @discardableResult
    public func rekey(to newKey: StateKey?, mode: StateEncryption.Mode, audit: AuditDraft) throws -> StateRewrite.Counts {
        let current = try opener()
        guard try base.version() != nil else {
            throw StateError(.notFound, "there is no state at \(location) to re-encrypt")
        }
        let target = StateSealer(key: newKey, mode: mode, location: location)
        let rewrite = StateRewrite(record: { record in
            let plain = try current.open(record)
            let sealed = try target.seal(plain)
            let again = try target.open(sealed)
            guard StateJSON.encode(again.attributes) == StateJSON.encode(plain.attributes),
                  again.privateData == plain.privateData else {
                throw StateError(.corrupt, "\(record.address) did not read back the same after re-encryption; nothing "
                    + "was written")
            }
            return sealed
        }, history: { entry in
            let plain = try current.open(entry)
            let sealed = try target.seal(plain)
            let again = try target.open(sealed)
            guard again.before.map(StateJSON.encode) == plain.before.map(StateJSON.encode),
                  again.after.map(StateJSON.encode) == plain.after.map(StateJSON.encode) else {
                throw StateError(.corrupt, "a history entry of \(entry.address) did not read back the same after "
                    + "re-encryption; nothing was written")
            }
            return sealed
        }, finding: { finding in
            let plain = try current.open(finding)
            let sealed = try target.seal(plain)
            guard try target.open(sealed) == plain else {
                throw StateError(.corrupt, "drift finding \(finding.id) of \(finding.address) did not read back the same "
                    + "after re-encryption; nothing was written")
            }
            return sealed
        }, output: { output in
            let plain = try current.open(output)
            let sealed = try target.seal(plain)
            guard try target.open(sealed) == plain else {
                throw StateError(.corrupt, "output \(output.name) did not read back the same after re-encryption; nothing "
                    + "was written")
            }
            return sealed
        })
        let counts = try base.reseal(to: newKey.map { StateEncryption(mode: mode, key: $0) }, audit: audit, rewrite: rewrite)
        recheck()
        let reopened = EncryptedStateStore(base, key: newKey, mode: mode, location: location)
        _ = try reopened.resources()
        _ = try reopened.deposedObjects()
        _ = try reopened.history(address: nil, limit: 0)
        _ = try reopened.driftFindings(address: nil, since: nil)
        _ = try reopened.outputs()
        return counts
    }

    /// The encryption the state records, once the key is known to open it; nil when it records none.
    public func recordedEncryption() throws -> StateEncryption? {
        _ = try opener()
        return try base.encryption()
    }
}
