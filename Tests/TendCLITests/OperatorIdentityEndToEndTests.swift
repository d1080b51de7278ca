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
        let actor = "\(user)@\(Self.hostName())"
        #expect(audit.stdout.contains(actor), "\(audit.stdout)")
        #expect(!audit.stdout.contains("unknown@"), "\(audit.stdout)")

        // A drift check is a run of its own: history names who ran it and where, as it does for the apply.
        try directory.write("out/note.txt", "edited by hand\n")
        let drift = try TendBinary.process(TendBinary.path, ["drift", "--detailed-exitcode"], in: directory.url, stdin: nil,
                                           environment: environment)
        #expect(drift.status == 2, "drift found: \(drift.stdout) \(drift.stderr)")
        let history = try TendBinary.process(TendBinary.path, ["history"], in: directory.url, stdin: nil,
                                             environment: environment)
        #expect(history.status == 0, "\(history.stderr)")
        let runs = history.stdout.split(separator: "\n").filter { $0.hasPrefix("  #") }
        #expect(runs.count == 2, "\(history.stdout)")
        #expect(runs.contains { $0.contains(" drift ") } && runs.contains { $0.contains(" apply ") }, "\(history.stdout)")
        #expect(runs.allSatisfy { $0.contains("by \(actor)") }, "\(history.stdout)")
    }

    private static func hostName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        _ = gethostname(&buffer, buffer.count - 1) // the buffer is zeroed, so a failure leaves an empty name
        return String(cString: buffer)
    }
}
