import Foundation
import Testing

/// libcurl and libpq are opened on first use, not at start: a run that sends no HTTP request and keeps its state in
/// SQLite loads neither (nor the TLS, LDAP and Kerberos libraries they need). glibc's loader names every library it
/// opens on stderr under LD_DEBUG=files.
@Suite struct LazyLibrariesEndToEndTests {
    @Test func aPlanOfLocalFilesLoadsNeitherLibcurlNorLibpq() throws {
        let directory = try TemporaryDirectory()
        try directory.write("tend.yaml", """
            stack: lazy
            resources:
              note:
                type: local_file
                properties: { path: out/note.txt, content: "hello\\n" }
            """)
        var environment = ProcessInfo.processInfo.environment
        environment["LD_DEBUG"] = "files"
        let plan = try TendBinary.process(TendBinary.path, ["plan"], in: directory.url, stdin: nil, environment: environment)
        #expect(plan.status == 0, "\(plan.stderr)")
        let opened = plan.stderr.split(separator: "\n").filter { $0.contains("file=") }
        #expect(opened.contains { $0.contains("file=libsqlite3") }, "the loader reports what it opens: \(opened)")
        #expect(!opened.contains { $0.contains("file=libcurl") }, "\(opened)")
        #expect(!opened.contains { $0.contains("file=libpq") }, "\(opened)")
    }
}
