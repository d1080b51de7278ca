import ProviderKit
import TendModel

extension LocalProvider {
    /// Plans like `plan(type:desired:prior:context:)`; a declared path that names the same file as the recorded one
    /// (`out/a.txt` and its absolute form, as an import records it) keeps the recorded text, so it is not a change.
    public func planObject(type: String, desired: [String: Value], prior: [String: Value]?,
                           context: ProviderContext) async throws -> PlannedObject {
        var planned = try await plan(type: type, desired: desired, prior: prior, context: context)
        if case let .string(recorded)? = prior?["path"], case let .string(declared)? = planned["path"], recorded != declared,
           try Self.nameTheSameFile(recorded, declared, base: context.baseDirectory) {
            planned["path"] = .string(recorded)
        }
        return PlannedObject(attributes: planned)
    }

    /// Whether two paths resolve to the same absolute path; the declared one was validated by `plan` already.
    static func nameTheSameFile(_ recorded: String, _ declared: String, base: String) throws -> Bool {
        try LocalPath.resolve(recorded, against: base) == LocalPath.resolve(declared, against: base)
    }
}
