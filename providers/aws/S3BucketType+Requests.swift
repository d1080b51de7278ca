import ProviderKit
import TendHTTP
import TendModel

extension S3BucketType {
    /// HeadBucket; nil when the bucket does not exist (404).
    static func head(_ name: String, session: AWSSession) async throws -> HTTPResponse? {
        let response = try await session.rest(service: "s3", method: "HEAD", path: "/" + name, operation: "s3:HeadBucket", allowing: [404])
        return response.status == 404 ? nil : response
    }

    /// Every tag on the bucket, tend's included: empty when it has none (NoSuchTagSet), nil when the bucket is gone.
    static func tags(of name: String, session: AWSSession) async throws -> [String: String]? {
        let response = try await session.rest(service: "s3", method: "GET", path: "/" + name, query: ["tagging": ""],
                                              operation: "s3:GetBucketTagging", allowing: [404])
        if response.status == 404 {
            let code = AWSErrorDetails(body: response.body, headers: response.headers).code
            if code == "NoSuchTagSet" { return [:] }
            if code == "NoSuchBucket" || code == nil { return nil }
            throw AWSErrorParser.providerError(for: response, operation: "s3:GetBucketTagging")
        }
        let document = try parse(response, operation: "s3:GetBucketTagging")
        var tags: [String: String] = [:]
        for tag in document.child("TagSet")?.children("Tag") ?? [] {
            if let key = tag.string("Key") { tags[key] = tag.string("Value") ?? "" }
        }
        return tags
    }

    /// Whether versioning is enabled (Suspended and never-enabled are both false); nil when the bucket is gone.
    static func isVersioned(_ name: String, session: AWSSession) async throws -> Bool? {
        let response = try await session.rest(service: "s3", method: "GET", path: "/" + name, query: ["versioning": ""],
                                              operation: "s3:GetBucketVersioning", allowing: [404])
        if response.status == 404 { return nil }
        return try parse(response, operation: "s3:GetBucketVersioning").string("Status") == "Enabled"
    }

    /// PutBucketTagging with exactly these tags (S3 replaces the whole set); DeleteBucketTagging when empty.
    static func putTags(_ tags: [String: String], on name: String, session: AWSSession) async throws {
        if tags.isEmpty {
            _ = try await session.rest(service: "s3", method: "DELETE", path: "/" + name, query: ["tagging": ""], operation: "s3:DeleteBucketTagging")
            return
        }
        let body = S3RequestBody.tagging(tags)
        _ = try await session.rest(service: "s3", method: "PUT", path: "/" + name, query: ["tagging": ""],
                                   headers: [HTTPHeader("Content-MD5", S3RequestBody.contentMD5(body))], body: body,
                                   operation: "s3:PutBucketTagging")
    }

    /// PutBucketVersioning: Enabled, or Suspended when turning it off.
    static func putVersioning(enabled: Bool, on name: String, session: AWSSession) async throws {
        let body = S3RequestBody.versioning(enabled: enabled)
        _ = try await session.rest(service: "s3", method: "PUT", path: "/" + name, query: ["versioning": ""],
                                   headers: [HTTPHeader("Content-MD5", S3RequestBody.contentMD5(body))], body: body,
                                   operation: "s3:PutBucketVersioning")
    }

    /// The XML document of a successful response.
    static func parse(_ response: HTTPResponse, operation: String) throws -> XMLNode {
        guard let document = XMLNode.parse(response.body) else {
            throw ProviderError(.failed, "\(operation) returned a response that is not XML (HTTP \(response.status))")
        }
        return document
    }
}
