import ProviderKit
import TendModel

/// Where the AWS provider connects and as whom: credentials, region and an optional endpoint.
public struct AWSConfiguration: Sendable, Hashable, CustomStringConvertible {
    /// The credentials; their description never shows the secret.
    public var credentials: AWSCredentials
    /// The region, e.g. `eu-west-1`.
    public var region: String
    /// An endpoint URL replacing AWS's own (LocalStack, a test server), when set.
    public var endpoint: String?

    /// Creates a configuration.
    public init(credentials: AWSCredentials, region: String, endpoint: String? = nil) {
        self.credentials = credentials
        self.region = region
        self.endpoint = endpoint
    }

    /// Resolves credentials (see `AWSCredentialResolver`), the region (block `region`, then
    /// `AWS_REGION`, then `AWS_DEFAULT_REGION`) and the endpoint (block `endpoint`, then
    /// `AWS_ENDPOINT_URL`). Throws `invalidInput` when there is no region or the endpoint is not an http(s) URL.
    public static func resolve(block: [String: Value], environment: [String: String],
                               homeDirectory: String?) throws -> AWSConfiguration {
        let credentials = try AWSCredentialResolver.resolve(block: block, environment: environment, homeDirectory: homeDirectory)
        func nonEmpty(_ name: String) -> String? {
            environment[name].flatMap { $0.isEmpty ? nil : $0 }
        }
        guard let region = try AWSCredentialResolver.string("region", in: block) ?? nonEmpty("AWS_REGION") ?? nonEmpty("AWS_DEFAULT_REGION") else {
            throw ProviderError(.invalidInput, "no AWS region: set region in the provider block, or AWS_REGION")
        }
        let endpoint = try AWSCredentialResolver.string("endpoint", in: block) ?? nonEmpty("AWS_ENDPOINT_URL")
        if let endpoint {
            guard let url = AWSURL(endpoint), url.scheme == "http" || url.scheme == "https" else {
                throw ProviderError(.invalidInput, "AWS endpoint \"\(endpoint)\" is not an http or https URL")
            }
        }
        return AWSConfiguration(credentials: credentials, region: region, endpoint: endpoint)
    }

    /// Region, endpoint and the redacted credentials.
    public var description: String {
        "AWSConfiguration(region: \(region), endpoint: \(endpoint ?? "default"), credentials: \(credentials))"
    }
}
