import TendHTTP

/// What signing a request produced, step by step, for callers and tests that check each stage.
public struct SigV4Signature: Sendable, Hashable {
    /// The canonical request: method, path, query, headers, signed header names, payload hash.
    public var canonicalRequest: String
    /// `AWS4-HMAC-SHA256`, the timestamp, the credential scope and the canonical request's hash.
    public var stringToSign: String
    /// The hex HMAC of the string to sign under the derived signing key.
    public var signature: String
    /// The `Authorization` header value.
    public var authorization: String
    /// Headers the signer adds besides `Authorization`, in order: `X-Amz-Date`,
    /// `X-Amz-Security-Token` with a session token, `X-Amz-Content-SHA256` for S3.
    public var addedHeaders: [HTTPHeader]

    /// Creates a signature record.
    public init(canonicalRequest: String, stringToSign: String, signature: String, authorization: String,
                addedHeaders: [HTTPHeader]) {
        self.canonicalRequest = canonicalRequest
        self.stringToSign = stringToSign
        self.signature = signature
        self.authorization = authorization
        self.addedHeaders = addedHeaders
    }
}
