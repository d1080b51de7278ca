import Foundation

extension PostgresStateStore {
    /// The key that seals this stack's saved plans (`tend plan -out`), kept with the state so that a plan saved on one
    /// machine can be applied on another that shares the state; with `creating`, made on first use. Anyone who can
    /// read the state's tables can read it, as anyone who can read a SQLite state's directory can read its key file.
    public func planKey(creating: Bool) throws -> PlanKey {
        if creating {
            // A key made by another tend at the same moment wins: whichever row exists is read back below.
            _ = try read { connection in
                try connection.execute("INSERT INTO plan_keys (stack, key) VALUES ($1, $2) ON CONFLICT (stack) DO NOTHING",
                                       [.text(stack), .text(PlanKey.generate().bytes.map { String(format: "%02x", $0) }.joined())])
            }
        }
        guard let text = try read({ connection in
            try connection.execute("SELECT key FROM plan_keys WHERE stack = $1", [.text(stack)]).first { $0.text(0) }
        }) else {
            throw StateError(.io, "there is no plan key for \(location); a saved plan can only be applied with the state it "
                + "was made with")
        }
        guard let bytes = PlanKey.hexBytes(text), let key = PlanKey(bytes: bytes) else {
            throw StateError(.corrupt, "the plan key of \(location) is damaged: expected 64 hex digits")
        }
        return key
    }
}
