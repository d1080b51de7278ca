import ProviderKit
import TendHTTP
import TendModel

extension S3BucketType {
    /// Deletes every object version and delete marker in the bucket, 1,000 per DeleteObjects call, until a
    /// listing comes back empty. A bucket already gone is fine. Cancellation is checked between pages.
    static func deleteEveryObjectVersion(in name: String, session: AWSSession) async throws {
        while true {
            try Task.checkCancellation()
            let response = try await session.rest(service: "s3", method: "GET", path: "/" + name, query: ["versions": "", "max-keys": "1000"],
                                                  operation: "s3:ListObjectVersions", allowing: [404])
            if response.status == 404 { return }
            let document = try parse(response, operation: "s3:ListObjectVersions")
            let versions = document.children.compactMap { node -> S3ObjectVersion? in
                guard node.name == "Version" || node.name == "DeleteMarker", let key = node.child("Key")?.text else { return nil }
                return S3ObjectVersion(key: key, versionID: node.string("VersionId"))
            }
            if versions.isEmpty { return }
            try await deleteObjects(versions, in: name, session: session)
        }
    }

    /// One quiet DeleteObjects call; throws on the first per-object error S3 reports.
    private static func deleteObjects(_ versions: [S3ObjectVersion], in name: String, session: AWSSession) async throws {
        let body = S3RequestBody.deleteObjects(versions)
        let response = try await session.rest(service: "s3", method: "POST", path: "/" + name, query: ["delete": ""],
                                              headers: [HTTPHeader("Content-MD5", S3RequestBody.contentMD5(body))], body: body,
                                              operation: "s3:DeleteObjects")
        guard let failure = XMLNode.parse(response.body)?.children("Error").first else { return }
        let code = failure.string("Code") ?? "InternalError"
        throw ProviderError(AWSErrorParser.classify(code: code, status: 200),
                            "cannot delete object \(failure.string("Key") ?? "?") while emptying the bucket: \(failure.string("Message") ?? code)",
                            remoteCode: code)
    }
}
