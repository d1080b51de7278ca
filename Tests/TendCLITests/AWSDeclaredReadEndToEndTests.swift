import Foundation
import ProviderKitTesting
import Testing

/// Issue 12, part 4, through the built binary: a refresh reads what the manifest declares. Requests are counted
/// at a moto_server on 127.0.0.1 that writes down every request it receives.
@Suite(.serialized) struct AWSDeclaredReadEndToEndTests {
    static let manifest = """
    stack: declared-reads
    providers:
      aws: { region: us-east-1, endpoint: "${env.AWS_ENDPOINT_URL}" }
    resources:
      plain:
        type: aws_s3_bucket
        for_each: { a: "1", b: "2", c: "3" }
        properties: { bucket: "tend-plain-${each.key}", tags: { n: "${each.value}" } }
      versioned:
        type: aws_s3_bucket
        properties: { bucket: tend-versioned, versioning: true }
    """

    /// Outside tend: versioning on for a bucket that does not declare it, off for the one that does, a tag edited.
    static let tamper = """
    import boto3, sys
    kw = dict(endpoint_url=sys.argv[1], region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="testing")
    s3 = boto3.client("s3", **kw)
    s3.put_bucket_versioning(Bucket="tend-plain-a", VersioningConfiguration={"Status": "Enabled"})
    s3.put_bucket_versioning(Bucket="tend-versioned", VersioningConfiguration={"Status": "Suspended"})
    tags = s3.get_bucket_tagging(Bucket="tend-plain-b")["TagSet"]
    s3.put_bucket_tagging(Bucket="tend-plain-b", Tagging={"TagSet": [t if t["Key"] != "n" else {"Key": "n", "Value": "edited"} for t in tags]})
    """

    /// The URLs of the GetBucketVersioning requests moto received since the recording was last cleared.
    static func versioningReads(_ moto: MotoServer) throws -> [String] {
        try moto.recordedRequests().filter { $0.method == "GET" && $0.hasQueryParameter("versioning") }.map(\.url)
    }

    static func findings(_ result: TendBinary.Result) throws -> [String] {
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        let findings = object?["findings"] as? [[String: Any]] ?? []
        return findings.map { "\($0["kind"] ?? "") \($0["address"] ?? "") \($0["path"] ?? "-")" }.sorted()
    }

    @Test func planAndDriftReadVersioningOnlyWhereDeclared() throws {
        let dir = try TemporaryDirectory()
        let moto = try MotoServer(recording: dir.url.appendingPathComponent("requests.jsonl"))
        try dir.write("config/main.yaml", Self.manifest)
        let config = dir.url.appendingPathComponent("config")
        func tend(_ arguments: [String]) throws -> TendBinary.Result {
            try TendBinary.run(arguments, in: config, environment: moto.environment)
        }
        let apply = try tend(["apply", "--auto-approve"])
        #expect(apply.status == 0, "\(apply.stdout)\(apply.stderr)")

        try moto.clearRecording()
        let noop = try tend(["plan", "--detailed-exitcode"])
        #expect(noop.status == 0, "\(noop.stdout)\(noop.stderr)")
        #expect(try Self.versioningReads(moto).map { $0.contains("/tend-versioned?") } == [true], "the declared bucket's only")
        let requests = try moto.recordedRequests().map(\.url)
        #expect(requests.count == 3, "ListBuckets, a tagging page, the one versioning read: \(requests)")

        let tampered = try TendBinary.python(["-c", Self.tamper, moto.endpoint])
        #expect(tampered.status == 0, "\(tampered.stderr)")
        try moto.clearRecording()
        let drifted = try tend(["plan", "--detailed-exitcode"])
        #expect(drifted.status == 2, "\(drifted.stdout)\(drifted.stderr)")
        #expect(try Self.versioningReads(moto).count == 1)
        #expect(drifted.stdout.contains("versioned (aws_s3_bucket) was changed outside tend"), "\(drifted.stdout)")
        #expect(drifted.stdout.contains("plain[\"b\"] (aws_s3_bucket) was changed outside tend"), "\(drifted.stdout)")
        #expect(!drifted.stdout.contains("plain[\"a\"] (aws_s3_bucket) was changed"), "undeclared versioning is not read: \(drifted.stdout)")

        try moto.clearRecording()
        let drift = try tend(["drift", "--json", "--detailed-exitcode"])
        #expect(drift.status == 2, "\(drift.stdout)\(drift.stderr)")
        #expect(try Self.versioningReads(moto).count == 1)
        #expect(try Self.findings(drift) == ["changed plain[\"b\"] tags.n", "changed versioned versioning"])

        // A destroy reads which buckets exist (ListBuckets) and nothing else: no tagging page, no versioning read.
        try moto.clearRecording()
        let destroy = try tend(["destroy", "--auto-approve"])
        #expect(destroy.status == 0, "\(destroy.stdout)\(destroy.stderr)")
        let destroyed = try moto.recordedRequests()
        #expect(destroyed.map(\.method).sorted() == ["DELETE", "DELETE", "DELETE", "DELETE", "GET"],
                "ListBuckets, then one DeleteBucket per bucket: \(destroyed.map(\.url))")
    }
}
