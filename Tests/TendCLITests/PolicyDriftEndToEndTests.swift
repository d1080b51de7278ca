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
    /// Prints the document IAM then holds, read with a plain GetRole (boto3 would parse it), exactly as stored.
    static let setPolicy = """
    import boto3, html, re, sys, urllib.parse, urllib.request
    kw = dict(endpoint_url=sys.argv[1], region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="testing")
    boto3.client("iam", **kw).update_assume_role_policy(RoleName="policy-drift-deployer", PolicyDocument=sys.argv[2])
    body = urllib.parse.urlencode({"Action": "GetRole", "RoleName": "policy-drift-deployer", "Version": "2010-05-08"})
    request = urllib.request.Request(sys.argv[1] + "/", data=body.encode(), headers={
        "Content-Type": "application/x-www-form-urlencoded",
        "Authorization": "AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=0"})
    document = re.search(r"<AssumeRolePolicyDocument>(.*?)</AssumeRolePolicyDocument>",
                         urllib.request.urlopen(request).read().decode(), re.S).group(1)
    sys.stdout.write(urllib.parse.unquote(html.unescape(document)))
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
        let stored = try TendBinary.python(["-c", Self.setPolicy, moto.endpoint, reformatted])
        #expect(stored.status == 0, "\(stored.stderr)")
        #expect(stored.stdout == reformatted, "IAM holds the reformatted text, not the declared one: \(stored.stdout)")
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
