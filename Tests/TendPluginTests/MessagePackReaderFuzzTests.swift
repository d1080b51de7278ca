import Foundation
import TendFuzzing
import TendModel
import TendPlugin
import Testing

/// The reader takes bytes from a plugin process: truncated, oversized, deeply nested or mutated input is refused
/// with a coded error naming the byte, never a crash, a hang or a huge allocation.
@Suite struct MessagePackReaderFuzzTests {
    static let objectType = CtyType.object([
        "id": .string, "count": .number, "tags": .map(.string), "rules": .list(.object(["port": .number, "on": .bool])),
        "extra": .dynamic, "ids": .set(.string), "pair": .tuple([.string, .number]),
    ])

    static let payload: [UInt8] = {
        let value = Value.map([
            "id": "i-1", "count": .number(Number(parsing: "1.5") ?? 0), "tags": .map(["env": "prod"]),
            "rules": .list([.map(["port": 443, "on": true]), .map(["port": 22, "on": .unknown])]),
            "extra": .list(["a", 1, .map(["k": true])]), "ids": .set(of: ["x", "y"]), "pair": .list(["a", 2]),
        ])
        return (try? CtyValueCodec.encode(value, as: objectType)) ?? []
    }()

    static func expectRefused(_ bytes: [UInt8], _ code: PluginValueError.Code) {
        #expect {
            try MessagePackReader.read(bytes)
        } throws: { error in
            guard let error = error as? PluginValueError else { return false }
            return error.code == code && error.offset != nil
        }
    }

    @Test(arguments: [
        ("", PluginValueError.Code.truncated), ("cd 01", .truncated), ("a5 61 62", .truncated), ("92 01", .truncated),
        ("d4 00", .truncated), ("c7 05 00 01", .truncated), ("c1", .malformed), ("c0 c0", .trailingBytes),
        ("a2 c3 28", .invalidUTF8),
        // Lengths far beyond the input: nothing is reserved for them.
        ("db ff ff ff ff", .truncated), ("c6 ff ff ff ff 00", .truncated), ("dd ff ff ff ff c0", .truncated),
        ("df ff ff ff ff c0 c0", .truncated), ("c9 ff ff ff ff 00", .truncated),
    ])
    func refusesMalformedInputWithACode(bytes: String, code: PluginValueError.Code) {
        Self.expectRefused(hex(bytes), code)
    }

    @Test func refusesDeepNestingInsteadOfRecursing() {
        Self.expectRefused(Array(repeating: 0x91, count: 100_000) + [0xc0], .tooDeep)
        Self.expectRefused(Array(repeating: 0x81, count: 100_000), .tooDeep)
        // Just inside the limit is fine.
        #expect(throws: Never.self) {
            try MessagePackReader.read(Array(repeating: 0x91, count: MessagePackReader.defaultMaximumDepth - 1) + [0xc0])
        }
    }

    @Test func everyTruncationOfAValidPayloadIsRefused() throws {
        try #require(!Self.payload.isEmpty)
        #expect(try CtyValueCodec.decode(Self.payload, as: Self.objectType).mapValue?["id"] == "i-1")
        for end in 0..<Self.payload.count {
            #expect(throws: PluginValueError.self) { try CtyValueCodec.decode(Array(Self.payload[..<end]), as: Self.objectType) }
        }
    }

    /// Every byte of a valid payload replaced by every other value: decoding either succeeds or throws the module's
    /// error, with a message.
    @Test func everySingleByteMutationIsReadOrRefused() throws {
        try #require(!Self.payload.isEmpty)
        var refused = 0
        for index in Self.payload.indices {
            for byte in UInt8.min...UInt8.max where byte != Self.payload[index] {
                var mutated = Self.payload
                mutated[index] = byte
                do {
                    _ = try CtyValueCodec.decode(mutated, as: Self.objectType)
                } catch {
                    refused += 1
                    #expect(!error.message.isEmpty)
                }
            }
        }
        #expect(refused > 0)
    }

    @Test func survivesSeededMutations() {
        let mutator = FuzzMutator(tokens: ["\u{c0}", "\u{91}", "\u{df}", "\u{dd}", "\u{db}", "\u{d4}\u{0}\u{0}"])
        let runner = FuzzRunner(target: "plugin-msgpack", defaultInputs: 20_000,
                                environment: ProcessInfo.processInfo.environment, mutator: mutator)
        let summary = runner.run(corpus: [Self.payload, hex("d4 00 00"), hex("92 c4 08 22 73 74 72 69 6e 67 22 a1 78")]) { bytes in
            do {
                _ = try CtyValueCodec.decode(bytes, as: Self.objectType)
                _ = try MessagePackReader.read(bytes)
                return .accepted
            } catch {
                return .rejected("\(error)")
            }
        }
        #expect(summary.hangs == 0)
        #expect(summary.silentErrors == 0)
        #expect(summary.accepted > 0 && summary.errors > 0)
    }

    @Test func randomBytesNeverCrashTheReader() {
        var random = FuzzRandom(seed: 0x6d73_6770)
        for _ in 0..<20_000 {
            let bytes = (0..<random.below(64)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            do {
                _ = try MessagePackReader.read(bytes)
            } catch {
                #expect(error.offset != nil)
            }
        }
    }
}
