import Foundation
import ProviderKitTesting
import Testing

/// JSON policies compare as JSON: reformatted outside tend is not drift; a real change shows as a JSON diff.
@Suite(.serialized) struct PolicyDriftEndToEndTests {
    static let manifest = """
    stack: policy-drift
    providers:
      aws: { region: us-east-1, endpoint: "${env.AWS_ENDPOINT_URL}" }
    resources:
      deployer:
        type: aws_iam_role
        properties:
          name: policy-drift-deployer
          assume_role_policy: |
            {"Version": "2012-10-17",
             "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
    """

    /// Sets the role's trust policy through the IAM API, as someone at the console would: argv[2] is the document.
    static let setPolicy = """
    import boto3, sys
    kw = dict(endpoint_url=sys.argv[1], region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="testing")
    boto3.client("iam", **kw).update_assume_role_policy(RoleName="policy-drift-deployer", PolicyDocument=sys.argv[2])
    """

    @Test func reformattedPolicyIsNotDriftAndAChangedOneIsAJSONDiff() throws {
        let moto = try MotoServer()
        let dir = try TemporaryDirectory()
        try dir.write("main.yaml", Self.manifest)
        func tend(_ arguments: [String]) throws -> TendBinary.Result {
            try TendBinary.run(arguments, in: dir.url, environment: moto.environment)
        }
        let apply = try tend(["apply", "--auto-approve"])
        #expect(apply.status == 0, "\(apply.stdout)\(apply.stderr)")

        // The same document, keys in another order, other spacing: not drift.
        let reformatted = """
        {
            "Statement": [ { "Action": "sts:AssumeRole", "Principal": { "Service": "ec2.amazonaws.com" }, "Effect": "Allow" } ],
            "Version": "2012-10-17"
        }
        """
        #expect(try TendBinary.python(["-c", Self.setPolicy, moto.endpoint, reformatted]).status == 0)
        let quiet = try tend(["drift", "--detailed-exitcode"])
        #expect(quiet.status == 0, "\(quiet.stdout)\(quiet.stderr)")
        #expect(quiet.stdout.contains("No drift."))
        #expect(try tend(["plan", "--detailed-exitcode"]).status == 0)

        // A real change: one finding, shown as pretty-printed JSON with only the changed member marked.
        let denied = reformatted.replacingOccurrences(of: "\"Allow\"", with: "\"Deny\"")
        #expect(try TendBinary.python(["-c", Self.setPolicy, moto.endpoint, denied]).status == 0)
        let drift = try tend(["drift", "--detailed-exitcode"])
        #expect(drift.status == 2, "\(drift.stdout)\(drift.stderr)")
        #expect(drift.stdout.contains("~ assume_role_policy:"), "\(drift.stdout)")
        #expect(drift.stdout.contains("-      \"Effect\": \"Allow\","), "\(drift.stdout)")
        #expect(drift.stdout.contains("+      \"Effect\": \"Deny\","), "\(drift.stdout)")
        let changed = drift.stdout.split(separator: "\n").filter { $0.contains("\"Version\"") && ($0.contains("-  ") || $0.contains("+  ")) }
        #expect(changed.isEmpty, "key order is not shown as a change: \(changed)")
        #expect(try tend(["destroy", "--auto-approve"]).status == 0)
    }
}
