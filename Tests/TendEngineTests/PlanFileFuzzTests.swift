import Foundation
import ProviderKit
import ProviderKitTesting
import TendEngine
import TendFuzzing
import TendModel
import TendState
import Testing

/// A damaged or forged plan file is refused with an `EngineError` saying why; it never crashes or hangs `apply FILE`.
/// Inputs are random bytes and mutations of a real plan: in clear (format 1), sealed (format 2) with the mutation
/// inside the sealed plan, and with the sealed envelope itself mutated.
@Suite struct PlanFileFuzzTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let key = PlanKey(bytes: Array(repeating: 7, count: 32))

    /// A plan of creates with references, unknowns and a sensitive value, in clear JSON.
    static func clearPlan() async throws -> [UInt8] {
        let provider = InMemoryProvider()
        let engine = Engine(registry: ProviderRegistry([provider]), store: InMemoryStateStore(),
                            clock: { Date(timeIntervalSince1970: 1_800_000_000) })
        let reference = Reference(name: "a", path: AttributePath(keys: "secret"))
        let specs = [
            ResourceSpec(address: ResourceAddress(name: "a"), type: "mem_thing", provider: "mem",
                         properties: ["name": .literal(.string("a")), "secret": .literal(.string("s3cret"))],
                         sensitivePaths: [AttributePath(keys: "secret")]),
            ResourceSpec(address: ResourceAddress(name: "b", key: .string("k")), type: "mem_thing", provider: "mem",
                         properties: ["name": .literal(.string("b")), "value": .template([.text("x "), .reference(reference)]),
                                      "tags": .literal(.map(["team": .string("x"), "note": .string("é \\ \"q\"")]))],
                         dependencies: [ResourceAddress(name: "a")], sensitivePaths: [AttributePath(keys: "value")]),
        ]
        let settings = PlanSettings(directory: "/nonexistent", stack: "fuzz", providers: ["mem": ["region": .string("x")]])
        let plan = try await engine.plan(specs: specs, settings: settings)
        var file = PlanFile(settings: settings, plan: plan)
        file.formatVersion = 1
        return Array(try file.encoded())
    }

    /// `clear` sealed under `key` in a format 2 envelope, whether or not it is a valid plan.
    static func sealed(_ clear: [UInt8], key: PlanKey) throws -> [UInt8] {
        var plan = clear
        // The inner plan of a sealed file says format version 2.
        if let text = String(bytes: plan, encoding: .utf8) {
            plan = Array(text.replacingOccurrences(of: "\"formatVersion\":1", with: "\"formatVersion\":2").utf8)
        }
        let box = try key.seal(plan, associatedData: Array("tend-plan/2".utf8))
        let envelope: [String: Any] = [
            "format": "tend-plan", "formatVersion": 2, "encryption": "AES-256-GCM", "keyID": "fuzz",
            "nonce": Data(box.nonce).base64EncodedString(), "ciphertext": Data(box.ciphertext).base64EncodedString(),
            "tag": Data(box.tag).base64EncodedString(),
        ]
        return Array(try JSONSerialization.data(withJSONObject: envelope, options: [.sortedKeys]))
    }

    static func decode(_ bytes: [UInt8]) -> FuzzRunner.Outcome {
        do {
            _ = try PlanFile.decode(Data(bytes), path: "fuzz.plan") {
                guard let key else { throw StateError(.io, "no key") }
                return key
            }
            return .accepted
        } catch let error as EngineError {
            return .rejected(error.description)
        } catch {
            return .rejected("")  // anything but an EngineError is a failure of the property
        }
    }

    @Test func planFileReaderSurvivesMutatedPlans() async throws {
        let clear = try await Self.clearPlan()
        let key = try #require(Self.key)
        let sealedPlan = try Self.sealed(clear, key: key)
        #expect({ if case .accepted = Self.decode(clear) { true } else { false } }(), "the clear seed plan must decode")
        #expect({ if case .accepted = Self.decode(sealedPlan) { true } else { false } }(), "the sealed seed plan must decode")
        let runner = FuzzRunner(target: "plan-file", defaultInputs: 2_000, environment: ProcessInfo.processInfo.environment,
                                mutator: .markup)
        var sealedAccepted = 0
        let summary = runner.run(corpus: [clear, sealedPlan]) { bytes in
            // Every third input is sealed after mutation, so the mutation reaches the plan decoder past the seal.
            if bytes.count % 3 == 0, let inner = try? Self.sealed(bytes, key: key) { // sealing any bytes works
                let outcome = Self.decode(inner)
                if case .accepted = outcome { sealedAccepted += 1 }
                return outcome
            }
            return Self.decode(bytes)
        }
        print("plan-file: \(sealedAccepted) mutated plans were accepted after sealing")
        #expect(summary.hangs == 0)
        #expect(summary.silentErrors == 0, "every refusal is an EngineError with a message")
        #expect(summary.errors > 0)
    }

    @Test func savedPlanFileInputsAreRefusedCleanly() {
        for (name, bytes) in FuzzCorpus.regressions(target: "plan-file", packageRoot: Self.packageRoot) {
            if case let .rejected(message) = Self.decode(bytes) { #expect(!message.isEmpty, "\(name)") }
        }
    }
}
