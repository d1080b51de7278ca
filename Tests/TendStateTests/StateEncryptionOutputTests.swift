import Foundation
@testable import TendState
import TendModel
import TendStateTesting
import Testing

/// Outputs at rest under a state key: a sensitive output's value is sealed in the store, opens with the key, is
/// refused without it, and `rekey` re-encrypts it with the rest of the state.
@Suite struct StateEncryptionOutputTests {
    @Test(arguments: StoreKind.allCases)
    func sealsSensitiveOutputsAndRekeysThem(kind: StoreKind) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let base = kind.makeStore(in: directory)
        let keyA = try #require(StateEncryptionTests.keyA)
        let keyB = try #require(StateEncryptionTests.keyB)
        let store = StateEncryptionTests.encrypted(base, keyA)
        _ = try store.advanceSerial(from: nil)
        let outputs = [OutputValue(name: "public_url", value: .string("https://example.test"), sensitive: false),
                       OutputValue(name: "token", value: .map(["v": .string(StateEncryptionTests.canary)]), sensitive: true)]
        try store.replaceOutputs(outputs)

        #expect(try store.outputs() == outputs, "read back as written")
        let raw = try base.outputs()
        #expect(raw.first { $0.name == "public_url" }?.value == .string("https://example.test"), "a clear output stays clear")
        #expect(!StateEncryptionTests.strings(raw.first { $0.name == "token" }?.value ?? .null)
            .contains { $0.contains(StateEncryptionTests.canary) }, "the sensitive value is not in the store in clear")

        let keyless = StateEncryptionTests.encrypted(base, nil)
        let missing = #expect(throws: StateError.self) { try keyless.outputs() }
        #expect(missing?.code == .keyMissing)

        try store.rekey(to: keyB, mode: .sensitive, audit: AuditDraft(who: "t", action: "state rekey", target: "x", result: "ok",
                                                                   at: StateSample.date))
        #expect(try StateEncryptionTests.encrypted(base, keyB).outputs() == outputs, "opens with the new key")
        let old = #expect(throws: StateError.self) { try StateEncryptionTests.encrypted(base, keyA).outputs() }
        #expect(old?.code == .wrongKey)
    }
}
