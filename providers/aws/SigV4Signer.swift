import Foundation
import ProviderKit
import TendHTTP

/// Signs requests with AWS Signature Version 4, exactly as botocore's `SigV4Auth` and `S3SigV4Auth` do.
///
/// For S3 the path is signed as written (no dot-segment removal, no second encoding) and an
/// `X-Amz-Content-SHA256` header carries the payload hash; for every other service the path is
/// normalised and encoded again. The signing instant is passed in; the signer never reads the clock.
public struct SigV4Signer: Sendable {
    /// The credentials to sign with.
    public var credentials: AWSCredentials
    /// The region in the credential scope, e.g. `us-east-1`.
    public var region: String
    /// The service signing name, e.g. `ec2`, `iam`, `s3`.
    public var service: String
    /// Whether S3's rules apply.
    public var usesS3Rules: Bool

    /// The payload hash S3 accepts in place of a body hash when the caller sets it.
    public static let unsignedPayload = "UNSIGNED-PAYLOAD"

    /// Creates a signer; S3's rules apply when `service` is `s3` unless `usesS3Rules` says otherwise.
    public init(credentials: AWSCredentials, region: String, service: String, usesS3Rules: Bool? = nil) {
        self.credentials = credentials
        self.region = region
        self.service = service
        self.usesS3Rules = usesS3Rules ?? (service == "s3")
    }

    /// The request with `Host`, `X-Amz-Date`, the session token, the S3 payload hash and
    /// `Authorization` set, replacing any from an earlier signing.
    public func signed(_ request: HTTPRequest, at date: Date) throws -> HTTPRequest {
        let signature = try signature(for: request, at: date)
        var signed = request
        for header in signature.addedHeaders { signed.setHeader(header.name, header.value) }
        if let url = AWSURL(request.url), request.header("host") == nil {
            signed.setHeader("Host", url.hostHeader)
        }
        signed.setHeader("Authorization", signature.authorization)
        return signed
    }

    /// Every stage of signing `request` at `date`; throws `invalidInput` for a URL it cannot split.
    public func signature(for request: HTTPRequest, at date: Date) throws -> SigV4Signature {
        guard let url = AWSURL(request.url) else {
            throw ProviderError(.invalidInput, "cannot sign \(request.method) \(request.url): not an absolute URL")
        }
        let timestamp = AWSTimestamp(date)
        let replaced: Set<String> = usesS3Rules
            ? ["authorization", "x-amz-date", "x-amz-security-token", "x-amz-content-sha256"]
            : ["authorization", "x-amz-date", "x-amz-security-token"]
        var headers = request.headers.filter { !replaced.contains($0.name.lowercased()) }
        var added = [HTTPHeader("X-Amz-Date", timestamp.basic)]
        if let token = credentials.sessionToken { added.append(HTTPHeader("X-Amz-Security-Token", token)) }
        let payloadHash = request.header("x-amz-content-sha256") ?? AWSCrypto.hex(AWSCrypto.sha256(request.body))
        if usesS3Rules { added.append(HTTPHeader("X-Amz-Content-SHA256", payloadHash)) }
        headers += added

        let signedHeaders = Self.headersToSign(headers, url: url)
        let names = signedHeaders.map(\.name).joined(separator: ";")
        let canonicalRequest = [
            request.method.uppercased(),
            canonicalPath(url.path),
            Self.canonicalQuery(url.query),
            signedHeaders.map { "\($0.name):\($0.value)" }.joined(separator: "\n") + "\n",
            names,
            payloadHash,
        ].joined(separator: "\n")
        let scope = "\(timestamp.day)/\(region)/\(service)/aws4_request"
        let stringToSign = [
            "AWS4-HMAC-SHA256", timestamp.basic, scope,
            AWSCrypto.hex(AWSCrypto.sha256(Array(canonicalRequest.utf8))),
        ].joined(separator: "\n")
        let signature = AWSCrypto.hex(AWSCrypto.hmacSHA256(key: signingKey(day: timestamp.day), data: Array(stringToSign.utf8)))
        let authorization = "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyID)/\(scope), "
            + "SignedHeaders=\(names), Signature=\(signature)"
        return SigV4Signature(canonicalRequest: canonicalRequest, stringToSign: stringToSign, signature: signature,
                              authorization: authorization, addedHeaders: added)
    }

    /// The signing key: HMAC chain over the day, region, service and `aws4_request`.
    func signingKey(day: String) -> [UInt8] {
        var key = Array("AWS4\(credentials.secretAccessKey)".utf8)
        for part in [day, region, service, "aws4_request"] {
            key = AWSCrypto.hmacSHA256(key: key, data: Array(part.utf8))
        }
        return key
    }
}
