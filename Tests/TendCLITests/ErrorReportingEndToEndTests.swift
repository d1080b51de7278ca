import Foundation
import Testing

/// Input tend cannot use is an error, never silently ignored.
@Suite(.serialized) struct ErrorReportingEndToEndTests {
    static let manifest = """
    resources:
      note:
        type: local_file
        properties: { path: note.txt, content: "hello\\n" }
    """

    @Test func anUnreadableTendignoreIsAnErrorNamingTheFile() throws {
        let dir = try TemporaryDirectory()
        try dir.write("main.yaml", Self.manifest)
        #expect(try TendBinary.run(["apply", "--auto-approve"], in: dir.url).status == 0)
        try Data([0x74, 0x79, 0x70, 0x65, 0x3A, 0xFF, 0xFE, 0x0A]).write(to: dir.url.appendingPathComponent(".tendignore"))

        let drift = try TendBinary.run(["drift"], in: dir.url)
        #expect(drift.status == 1, "\(drift.stdout)\(drift.stderr)")
        #expect(drift.stderr.contains(".tendignore"), "\(drift.stderr)")
        #expect(drift.stderr.contains("UTF-8"), "\(drift.stderr)")
    }

    @Test func aMalformedVarInReportIsAnError() throws {
        let dir = try TemporaryDirectory()
        try dir.write("main.yaml", Self.manifest)
        let report = try TendBinary.run(["report", "--var", "novalue"], in: dir.url)
        #expect(report.status == 1, "\(report.stdout)\(report.stderr)")
        #expect(report.stderr.contains("--var expects NAME=VALUE"), "\(report.stderr)")
        #expect(report.stdout.isEmpty)
    }
}
