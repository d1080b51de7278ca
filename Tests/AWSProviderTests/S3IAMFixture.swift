import AWSProvider
import Foundation
import ProviderKit
import ProviderKitTesting
import TendHTTP
import TendModel

/// A moto_server of its own, a provider pointed at it, and a raw session for changing things behind tend's back.
/// The server is killed when the fixture is released.
final class S3IAMFixture: Sendable {
    let server: MotoServer
    let provider: AWSProvider
    let session: AWSSession
    let context = ProviderContext(baseDirectory: "/nonexistent", stack: "s3iam-test")

    /// With `recording`, moto writes down every request it receives there (`MotoServer.recordedRequests()`).
    init(recording: URL? = nil) throws {
        server = try MotoServer(recording: recording)
        provider = AWSProvider(environment: server.environment, homeDirectory: nil)
        let credentials = AWSCredentials(accessKeyID: "testing", secretAccessKey: "testing")
        session = AWSSession(configuration: AWSConfiguration(credentials: credentials, region: "us-east-1", endpoint: server.endpoint),
                             maxRetries: 0, clock: { Date() })
    }

    deinit {
        server.stop()
    }

    static let trustPolicy = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#

    /// The same trust policy with other whitespace and key order.
    static let reformattedTrustPolicy = """
        {
          "Statement": [ { "Action": "sts:AssumeRole", "Principal": { "Service": "ec2.amazonaws.com" }, "Effect": "Allow" } ],
          "Version": "2012-10-17"
        }
        """

    func address(_ name: String) -> ResourceAddress { ResourceAddress(name: name) }

    /// Plans and creates through the provider, as the engine would.
    func create(_ type: String, _ name: String, _ desired: [String: Value]) async throws -> CreatedObject {
        let planned = try await provider.plan(type: type, desired: desired, context: context)
        return try await provider.create(type: type, address: address(name), desired: planned, context: context)
    }

    /// PutBucketTagging straight to S3 with exactly these tags.
    func putBucketTags(_ bucket: String, _ tags: [String: String]) async throws {
        let set = tags.keys.sorted().map { "<Tag><Key>\($0)</Key><Value>\(tags[$0] ?? "")</Value></Tag>" }.joined()
        let body = Array("<Tagging xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><TagSet>\(set)</TagSet></Tagging>".utf8)
        _ = try await session.rest(service: "s3", method: "PUT", path: "/" + bucket, query: ["tagging": ""], body: body,
                                   operation: "s3:PutBucketTagging")
    }

    /// PutBucketVersioning straight to S3.
    func putBucketVersioning(_ bucket: String, enabled: Bool) async throws {
        let status = enabled ? "Enabled" : "Suspended"
        let body = Array("<VersioningConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Status>\(status)</Status></VersioningConfiguration>".utf8)
        _ = try await session.rest(service: "s3", method: "PUT", path: "/" + bucket, query: ["versioning": ""], body: body,
                                   operation: "s3:PutBucketVersioning")
    }

    /// PutObject straight to S3.
    func putObject(_ bucket: String, key: String, text: String) async throws {
        _ = try await session.rest(service: "s3", method: "PUT", path: "/\(bucket)/\(key)", headers: [HTTPHeader("Content-Type", "text/plain")],
                                   body: Array(text.utf8), operation: "s3:PutObject")
    }

    /// DeleteBucket straight to S3.
    func deleteBucket(_ bucket: String) async throws {
        _ = try await session.rest(service: "s3", method: "DELETE", path: "/" + bucket, operation: "s3:DeleteBucket")
    }

    /// Whether two JSON texts parse to the same value, by Foundation.
    static func sameJSON(_ left: String?, _ right: String) -> Bool {
        guard let left,
              let lhs = try? JSONSerialization.jsonObject(with: Data(left.utf8)) as? NSDictionary,
              let rhs = try? JSONSerialization.jsonObject(with: Data(right.utf8)) as? NSDictionary
        else { return false }
        return lhs.isEqual(rhs)
    }
}
