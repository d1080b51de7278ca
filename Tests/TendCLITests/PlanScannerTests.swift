import Foundation
import Testing

/// Issue 14, part 4: a real third-party tool that reads Terraform plan JSON — checkov, installed by `make deps` in a
/// virtual environment of its own — runs on tend's plan of examples/aws and sees every resource with its planned
/// values: a check that reads a value passes or fails as the value says. checkov is kept off the network (no
/// downloads, proxies pointed at a closed loopback port).
@Suite(.serialized) struct PlanScannerTests {
    static var checkov: String {
        ProcessInfo.processInfo.environment["TEND_TEST_CHECKOV"]
            ?? TendBinary.packageRoot.appendingPathComponent(".build/tools/checkov/bin/checkov").path
    }

    /// Environment for a plan of the AWS example without AWS: fake credentials and an endpoint nothing listens on
    /// (a plan of an empty state sends no request).
    static let awsEnvironment = ["AWS_ENDPOINT_URL": "http://127.0.0.1:9", "AWS_ACCESS_KEY_ID": "testing",
                                 "AWS_SECRET_ACCESS_KEY": "testing"]

    /// checkov's passed and failed checks on a plan file: (check id, resource) pairs, and the resource count.
    static func scan(_ plan: URL) throws -> (passed: Set<String>, failed: Set<String>, resources: Int) {
        let environment = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "HOME": plan.deletingLastPathComponent().path,
                           "BC_SKIP_MAPPING": "TRUE", "HTTPS_PROXY": "http://127.0.0.1:9", "HTTP_PROXY": "http://127.0.0.1:9",
                           "https_proxy": "http://127.0.0.1:9", "http_proxy": "http://127.0.0.1:9"]
        let result = try TendBinary.process(checkov, ["-f", plan.path, "--framework", "terraform_plan", "-o", "json", "--skip-download"],
                                            in: plan.deletingLastPathComponent(), stdin: nil, environment: environment)
        // checkov exits 1 when a check fails; anything else but 0 is a failure to run.
        #expect(result.status == 0 || result.status == 1, "checkov: \(result.stderr.suffix(2000))")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any],
                                    "checkov printed no JSON report: \(result.stdout.prefix(500)) \(result.stderr.suffix(1000))")
        let results = document["results"] as? [String: Any] ?? [:]
        func pairs(_ key: String) -> Set<String> {
            Set((results[key] as? [[String: Any]] ?? []).compactMap { check in
                guard let id = check["check_id"] as? String, let resource = check["resource"] as? String else { return nil }
                return "\(id) \(resource)"
            })
        }
        let summary = document["summary"] as? [String: Any] ?? [:]
        return (pairs("passed_checks"), pairs("failed_checks"), summary["resource_count"] as? Int ?? -1)
    }

    @Test func checkovSeesEveryResourceOfTheAWSExampleWithItsPlannedValues() throws {
        #expect(FileManager.default.isExecutableFile(atPath: Self.checkov), "checkov is missing: run `make deps`")
        guard FileManager.default.isExecutableFile(atPath: Self.checkov) else { return }
        let dir = try TemporaryDirectory()
        let example = try String(contentsOf: TendBinary.packageRoot.appendingPathComponent("examples/aws/main.yaml"), encoding: .utf8)
        try dir.write("main.yaml", example)
        let plan = try TendBinary.run(["plan", "--json"], in: dir.url, environment: Self.awsEnvironment)
        #expect(plan.status == 0, "tend plan: \(plan.stderr)")
        // Beside the manifest it would be read as one: tend reads every .yaml and .json file of its directory.
        let scans = try TemporaryDirectory()
        try scans.write("plan.json", plan.stdout)

        let scan = try Self.scan(scans.url.appendingPathComponent("plan.json"))
        #expect(scan.resources == 7)
        let seen = Set((scan.passed.union(scan.failed)).map { String($0.split(separator: " ")[1]) })
        #expect(seen.isSuperset(of: ["main", "public", "private", "web", "app", "logs", "deployer"]), "checkov saw \(seen.sorted())")
        // Read from planned values: the public subnet maps public IPs on launch, the private one does not; SSH is open
        // to the VPC only.
        #expect(scan.failed.contains("CKV_AWS_130 public") && scan.passed.contains("CKV_AWS_130 private"))
        #expect(scan.passed.contains("CKV_AWS_24 web"))

        // SSH opened to the world: the same check now fails.
        try dir.write("main.yaml", example.replacingOccurrences(of: "from_port: 22, to_port: 22, cidr_blocks: [10.0.0.0/16]",
                                                                with: "from_port: 22, to_port: 22, cidr_blocks: [0.0.0.0/0]"))
        let opened = try TendBinary.run(["plan", "--json"], in: dir.url, environment: Self.awsEnvironment)
        #expect(opened.status == 0, "tend plan: \(opened.stderr)")
        try scans.write("plan.json", opened.stdout)
        #expect(try Self.scan(scans.url.appendingPathComponent("plan.json")).failed.contains("CKV_AWS_24 web"))
    }
}
