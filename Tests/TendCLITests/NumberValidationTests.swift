import Foundation
import Testing

/// Issue 9, defect 4: numbers that used to pass `validate` and then trap (exit 132) in plan, or pass `validate` and
/// be rejected by plan, are `file:line:col` errors from `validate` (exit 1); nothing traps.
@Suite(.serialized) struct NumberValidationEndToEndTests {
    /// Exit status of a process that died of SIGILL (a Swift trap) or SIGTRAP, as Foundation reports it.
    static let trapped: Set<Int32> = [4, 5, 132, 133]

    /// Credentials, and an endpoint on a loopback port where nothing listens: enough for plan to build its AWS
    /// session (where `max_concurrency` used to trap) without sending anything anywhere else.
    static let awsEnvironment = [
        "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_ENDPOINT_URL": "http://127.0.0.1:9",
    ]

    private func validate(_ manifest: String) throws -> TendBinary.Result {
        let dir = try TemporaryDirectory()
        try dir.write("main.yaml", manifest)
        let result = try TendBinary.run(["validate"], in: dir.url, environment: Self.awsEnvironment)
        // plan reads the same configuration: it must stop at the same errors, not trap.
        let plan = try TendBinary.run(["plan"], in: dir.url, environment: Self.awsEnvironment)
        #expect(plan.status == result.status, "\(plan.stderr)")
        #expect(!Self.trapped.contains(plan.status))
        return result
    }

    @Test(arguments: [("max_concurrency", "1e300"), ("max_concurrency", "0"), ("max_retries", "-1"), ("max_retries", "1e300")])
    func rejectsProviderSettingsOutOfRange(setting: String, value: String) throws {
        let result = try validate("""
        stack: numbers
        providers:
          aws:
            region: us-east-1
            \(setting): \(value)
        resources:
          main: { type: aws_vpc, properties: { cidr_block: 10.0.0.0/16 } }
        """)
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.contains("main.yaml:5:\(setting.count + 7): error: invalid value for setting \"\(setting)\""),
                "\(result.stderr)")
    }

    @Test(arguments: ["1e300", "70000", "-5"])
    func rejectsSecurityGroupPortsOutOfRange(port: String) throws {
        let result = try validate("""
        stack: numbers
        providers:
          aws: { region: us-east-1 }
        resources:
          other: { type: local_directory, properties: { path: out } }
          web:
            type: aws_security_group
            properties:
              name: web
              vpc_id: vpc-12345678
              ingress:
                - { protocol: tcp, from_port: \(port), to_port: 443, cidr_blocks: [0.0.0.0/0] }
        """)
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.contains("main.yaml:12:39: error: invalid value for attribute \"ingress[0].from_port\""),
                "\(result.stderr)")
    }

    @Test(arguments: ["1e300", "-1", "\"77777777777777777777\""])
    func rejectsFileModesPlanRejects(mode: String) throws {
        let result = try validate("""
        stack: numbers
        resources:
          f:
            type: local_file
            properties: { path: out/f.txt, content: "x", mode: \(mode) }
        """)
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.contains("main.yaml:5:56: error: invalid value for attribute \"mode\""), "\(result.stderr)")
    }

    /// A mode read from another resource is known only at plan time: plan rejects it with an error, never a trap.
    @Test func rejectsAReferencedModeAtPlanTime() throws {
        let dir = try TemporaryDirectory()
        try dir.write("main.yaml", """
        stack: numbers
        resources:
          a: { type: local_file, properties: { path: out/a.txt, content: "123456789" } }
          b: { type: local_file, properties: { path: out/b.txt, content: "x", mode: "${a.size}" } }
        """)
        let validate = try TendBinary.run(["validate"], in: dir.url)
        #expect(validate.status == 0, "\(validate.stderr)")
        let apply = try TendBinary.run(["apply", "--auto-approve"], in: dir.url)
        #expect(apply.status == 1, "\(apply.stdout)\(apply.stderr)")
        #expect(apply.stderr.contains("invalid mode \"9\""), "\(apply.stdout)\(apply.stderr)")
    }
}
