import Foundation
import ProviderKit
import ProviderKitTesting
import TendEngine
import TendModel
import TendState
import Testing

/// Marks derived from sensitive values travel through plan, apply, state, history, audit, errors and plan files.
@Suite struct SensitivityEngineTests {
    let provider = InMemoryProvider()
    let store = InMemoryStateStore()
    let settings = PlanSettings(directory: "/nonexistent", stack: "test", providers: [:])
    static let secret = "hunter2-canary-9d1"

    var engine: Engine {
        Engine(registry: ProviderRegistry([provider]), store: store, clock: { Date(timeIntervalSince1970: 1_800_000_000) },
               retry: RetryPolicy(maxRetries: 1, baseDelay: 0.001, maxDelay: 0.01))
    }

    /// `a` holds the secret in its schema-sensitive `secret`; `name`'s `value` is derived from it, as config marks it.
    static func specs(_ name: String) -> [ResourceSpec] {
        let reference = Reference(name: "a", path: AttributePath(keys: "secret"))
        return [
            ResourceSpec(address: ResourceAddress(name: "a"), type: "mem_thing", provider: "mem",
                         properties: ["name": .literal(.string("a")), "secret": .literal(.string(secret))],
                         sensitivePaths: [AttributePath(keys: "secret")]),
            ResourceSpec(address: ResourceAddress(name: name), type: "mem_thing", provider: "mem",
                         properties: ["name": .literal(.string(name)), "value": .template([.text("x "), .reference(reference)])],
                         dependencies: [ResourceAddress(name: "a")], sensitivePaths: [AttributePath(keys: "value")]),
        ]
    }

    @Test func derivedMarksReachTheChangeTheRecordAndHistory() async throws {
        let plan = try await engine.plan(specs: Self.specs("b"), settings: settings)
        let change = try #require(plan.changes.first { $0.address.name == "b" })
        #expect(change.sensitivePaths.contains(AttributePath(keys: "value")))
        #expect(change.sensitivePaths.contains(AttributePath(keys: "secret")), "the schema's marks stay")
        let result = try await engine.apply(plan, settings: settings)
        #expect(!result.hasFailures, "\(result.failed)")
        let record = try #require(try store.resource(ResourceAddress(name: "b")))
        #expect(record.attributes["value"] == .string("x \(Self.secret)"), "state keeps the value itself")
        #expect(record.sensitivePaths.contains(AttributePath(keys: "value")))
        for entry in try store.history(address: nil, limit: 100) {
            #expect(!"\(entry)".contains(Self.secret), "history holds the secret: \(entry)")
        }
        let again = try await engine.plan(specs: Self.specs("b"), settings: settings)
        #expect(!again.hasChanges)
        let destroy = try await engine.plan(specs: Self.specs("b"), settings: settings, destroy: true)
        let deleting = try #require(destroy.changes.first { $0.address.name == "b" })
        #expect(deleting.sensitivePaths.contains(AttributePath(keys: "value")), "the record's marks plan the delete")
    }

    @Test func anApplyErrorQuotingADerivedSecretShowsTheMarker() async throws {
        await provider.failCreate(address: ResourceAddress(name: "b"),
                                  with: .terminal(.invalidInput, "value \"x \(Self.secret)\" is not allowed"))
        let plan = try await engine.plan(specs: Self.specs("b"), settings: settings)
        let result = try await engine.apply(plan, settings: settings)
        let message = try #require(result.failed[ResourceAddress(name: "b")])
        #expect(!message.contains(Self.secret), "\(message)")
        #expect(message.contains("(sensitive)"), "\(message)")
        for entry in try store.auditLog() {
            #expect(!entry.result.contains(Self.secret), "the audit log holds the secret: \(entry.result)")
        }
    }

    @Test func aSavedPlanIsSealedAndOpensOnlyWithItsKey() async throws {
        let settings = PlanSettings(directory: "/nonexistent", stack: "test",
                                    providers: ["aws": ["secret_key": .string("aws-\(Self.secret)")]])
        let plan = try await engine.plan(specs: Self.specs("b"), settings: settings)
        let file = PlanFile(settings: settings, plan: plan)
        let key = PlanKey.generate()
        let bytes = try file.sealed(with: key)
        #expect(bytes.range(of: Data(Self.secret.utf8)) == nil, "the plan file holds a secret in clear")
        let opened = try PlanFile.decode(bytes, path: "p.plan") { key }
        // (Value's JSON form writes "known after apply" as null, in clear plan files as before: compare the rest.)
        #expect(opened.plan.specs == plan.specs)
        #expect(opened.plan.changes.map(\.sensitivePaths) == plan.changes.map(\.sensitivePaths))
        #expect(opened.settings == settings)

        #expect(throws: EngineError.self) { try PlanFile.decode(bytes, path: "p.plan") { PlanKey.generate() } }
        var tampered = bytes
        if let at = tampered.range(of: Data("\"ciphertext\":\"".utf8))?.upperBound {
            tampered[at] = tampered[at] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        }
        #expect(throws: EngineError.self) { try PlanFile.decode(tampered, path: "p.plan") { key } }
        // Format version 1 (in clear, from earlier tend) is still read, without a key.
        var clear = file
        clear.formatVersion = 1
        let old = try PlanFile.decode(try clear.encoded(), path: "old.plan") { throw StateError(.io, "no key needed") }
        #expect(old.plan.specs == plan.specs)
    }

    @Test func thePlanKeyIsCreatedOnceWithMode0600() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tend-key-\(UUID().uuidString)/.tend")
        defer { try? FileManager.default.removeItem(at: directory.deletingLastPathComponent()) }
        let path = PlanKey.path(besideState: directory.appendingPathComponent("state.db").path)
        #expect(path == directory.appendingPathComponent("plan.key").path)
        let first = try PlanKey.loadOrCreate(at: path)
        let second = try PlanKey.loadOrCreate(at: path)
        #expect(first.bytes == second.bytes)
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(throws: StateError.self) { try PlanKey.load(from: path + ".missing") }
    }
}
