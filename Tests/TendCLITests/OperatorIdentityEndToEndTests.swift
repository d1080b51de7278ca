import Foundation
import Testing

/// The audit log and history name the operating-system user of every run, even where the environment names none
/// (a service, a container, CI): never `unknown`.
@Suite struct OperatorIdentityEndToEndTests {
    @Test func auditNamesTheOperatingSystemUserWithoutUSERInTheEnvironment() throws {
        let directory = try TemporaryDirectory()
        try directory.write("tend.yaml", """
            stack: who
            resources:
              note:
                type: local_file
                properties: { path: out/note.txt, content: "hello\\n" }
            """)
        var environment = ProcessInfo.processInfo.environment
        environment["USER"] = nil
        environment["LOGNAME"] = nil
        environment["NO_COLOR"] = "1"
        let apply = try TendBinary.process(TendBinary.path, ["apply", "--auto-approve"], in: directory.url, stdin: nil,
                                           environment: environment)
        #expect(apply.status == 0, "\(apply.stderr)")
        let audit = try TendBinary.process(TendBinary.path, ["audit"], in: directory.url, stdin: nil, environment: environment)
        #expect(audit.status == 0, "\(audit.stderr)")
        let user = try #require(getpwuid(geteuid()).flatMap { $0.pointee.pw_name.map { String(cString: $0) } })
        #expect(audit.stdout.contains("\(user)@"), "\(audit.stdout)")
        #expect(!audit.stdout.contains("unknown@"), "\(audit.stdout)")
    }
}
