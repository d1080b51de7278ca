import Foundation
import TendFuzzing
import TendModel
import Testing

/// The JSON reader behind state attributes and IAM policy documents refuses any malformed input with a
/// `SyntaxError` naming the byte; it never crashes, hangs or recurses without bound.
@Suite struct JSONValueParserFuzzTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static let corpus: [[UInt8]] = [
        #"{"a": 1, "b": [true, false, null], "c": {"d": "e\u00e9\n"}, "n": -1.5e300, "big": 123456789012345678901234567890}"#,
        #"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}"#,
        #"["\ud83d\ude00", "\\", "\"", 0, -0, 0.1, 1E+2]"#, "[]", "{}", "\"\"", "0",
    ].map { Array($0.utf8) }

    static func parse(_ bytes: [UInt8]) -> FuzzRunner.Outcome {
        do {
            _ = try bytes.withUnsafeBufferPointer { try JSONValueParser.parse($0) }
            return .accepted
        } catch let error as JSONValueParser.SyntaxError {
            return .rejected(error.description)
        } catch {
            return .rejected("")
        }
    }

    @Test func jsonParserSurvivesMutatedDocuments() {
        let runner = FuzzRunner(target: "json-value", defaultInputs: 20_000, environment: ProcessInfo.processInfo.environment,
                                mutator: .markup)
        let summary = runner.run(corpus: Self.corpus) { Self.parse($0) }
        #expect(summary.hangs == 0)
        #expect(summary.silentErrors == 0)
        #expect(summary.accepted > 0 && summary.errors > 0)
    }

    @Test func deepNestingIsRefusedNotRecursedInto() {
        let deep = Array(repeating: UInt8(ascii: "["), count: 100_000) + Array(repeating: UInt8(ascii: "]"), count: 100_000)
        guard case let .rejected(message) = Self.parse(deep) else {
            Issue.record("100,000 levels were accepted")
            return
        }
        #expect(message.contains("deep"), "\(message)")
    }

    @Test func savedInputsAreRefusedCleanly() {
        for (name, bytes) in FuzzCorpus.regressions(target: "json-value", packageRoot: Self.packageRoot) {
            if case let .rejected(message) = Self.parse(bytes) { #expect(!message.isEmpty, "\(name)") }
        }
    }
}

extension JSONValueParserFuzzTests {
    /// Found by fuzzing: a high surrogate followed by another escape that is not a low surrogate overflowed the
    /// arithmetic that joins a pair, and trapped.
    @Test(arguments: [
        (#"["\ud83d\ud999"]"#, "\u{FFFD}\u{FFFD}"), (#"["\ud83d\u0041"]"#, "\u{FFFD}A"), (#"["\ud83d\ude00"]"#, "😀"),
        (#"["\ude00"]"#, "\u{FFFD}"), (#"["\ud83d"]"#, "\u{FFFD}"),
    ])
    func unpairedSurrogatesBecomeReplacementCharacters(json: String, expected: String) throws {
        #expect(try JSONValueParser.parse(json) == .list([.string(expected)]))
    }
}
