import AWSProvider
import Foundation
import ProviderKit
import TendHTTP
import Testing

/// One case of `fixtures/aws-sigv4/vectors.json`, recorded from botocore's signer.
struct SigV4Vector: Decodable, Sendable, CustomTestStringConvertible {
    struct Credentials: Decodable, Sendable {
        var access_key: String
        var secret_key: String
        var token: String?
    }
    struct Request: Decodable, Sendable {
        var method: String
        var url: String
        var headers: [[String]]
        var body: String
    }
    struct Expected: Decodable, Sendable {
        var canonical_request: String
        var string_to_sign: String
        var signature: String
        var authorization: String
        var added_headers: [[String]]
    }

    var name: String
    var service: String
    var region: String
    var s3: Bool
    var credentials: Credentials
    var epoch_seconds: Double
    var request: Request
    var expected: Expected

    var testDescription: String { name }

    static func all() -> [SigV4Vector] {
        struct File: Decodable { var cases: [SigV4Vector] }
        let path = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("fixtures/aws-sigv4/vectors.json")
        guard let data = try? Data(contentsOf: path), let file = try? JSONDecoder().decode(File.self, from: data) else {
            return []
        }
        return file.cases
    }

    var signer: SigV4Signer {
        SigV4Signer(credentials: AWSCredentials(accessKeyID: credentials.access_key, secretAccessKey: credentials.secret_key,
                                                sessionToken: credentials.token),
                    region: region, service: service)
    }

    var httpRequest: HTTPRequest {
        HTTPRequest(method: request.method, url: request.url,
                    headers: request.headers.map { HTTPHeader($0[0], $0[1]) }, body: Array(request.body.utf8))
    }

    var date: Date { Date(timeIntervalSince1970: epoch_seconds) }
}

/// SigV4 against vectors recorded from botocore, byte for byte.
@Suite struct SigV4SignerTests {
    @Test func vectorsAreThere() {
        #expect(SigV4Vector.all().count >= 8)
    }

    @Test(arguments: SigV4Vector.all())
    func matchesBotocore(vector: SigV4Vector) throws {
        let signature = try vector.signer.signature(for: vector.httpRequest, at: vector.date)
        #expect(signature.canonicalRequest == vector.expected.canonical_request)
        #expect(signature.stringToSign == vector.expected.string_to_sign)
        #expect(signature.signature == vector.expected.signature)
        #expect(signature.authorization == vector.expected.authorization)
        #expect(signature.addedHeaders == vector.expected.added_headers.map { HTTPHeader($0[0], $0[1]) })
    }

    @Test(arguments: SigV4Vector.all())
    func signedRequestCarriesTheHeaders(vector: SigV4Vector) throws {
        let signed = try vector.signer.signed(vector.httpRequest, at: vector.date)
        #expect(signed.header("authorization") == vector.expected.authorization)
        #expect(signed.header("x-amz-date") == "20240517T123456Z")
        #expect(signed.header("x-amz-security-token") == vector.credentials.token)
        #expect((signed.header("x-amz-content-sha256") != nil) == vector.s3)
        #expect(signed.header("host") != nil)
    }

    @Test func resigningReplacesTheEarlierSignature() throws {
        let vector = try #require(SigV4Vector.all().first { $0.name == "sts-post-with-session-token" })
        let once = try vector.signer.signed(vector.httpRequest, at: vector.date)
        let twice = try vector.signer.signed(once, at: vector.date)
        #expect(twice.headers.filter { $0.name.lowercased() == "authorization" }.count == 1)
        #expect(twice.header("authorization") == vector.expected.authorization)
    }

    @Test func rejectsARelativeURL() {
        let signer = SigV4Signer(credentials: AWSCredentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "x"),
                                 region: "us-east-1", service: "ec2")
        #expect(throws: ProviderError.self) {
            try signer.signature(for: HTTPRequest(url: "/just/a/path"), at: Date(timeIntervalSince1970: 0))
        }
    }

    @Test func encodesTheAWSWay() {
        #expect(AWSURIEncoding.encode("a b/c~d*é+") == "a%20b%2Fc~d%2A%C3%A9%2B")
        #expect(AWSURIEncoding.encode("photos/2024 summer.jpg", keepingSlash: true) == "photos/2024%20summer.jpg")
    }
}
