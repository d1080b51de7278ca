import ProviderKit
import TendHTTP

/// Turns an AWS error response into a `ProviderError`: `remoteCode` is the AWS code; throttling,
/// timeouts and 5xx are transient; denied, conflicting and invalid requests get their own codes;
/// everything else (not-found included, which callers check by `remoteCode`) is `failed`.
public enum AWSErrorParser {
    /// Codes AWS uses for throttling, whatever the status (botocore's list).
    public static let throttlingCodes: Set<String> = [
        "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
        "TooManyRequestsException", "ProvisionedThroughputExceededException", "TransactionInProgressException",
        "RequestLimitExceeded", "BandwidthLimitExceeded", "LimitExceededException", "RequestThrottled",
        "SlowDown", "PriorRequestNotComplete", "EC2ThrottledException",
    ]

    /// Codes for failures on AWS's side that a retry may get past.
    public static let transientCodes: Set<String> = [
        "RequestTimeout", "RequestTimeoutException", "InternalError", "InternalFailure", "InternalServerError",
        "ServiceUnavailable", "ServiceUnavailableException", "Unavailable", "IDPCommunicationError",
    ]

    static let accessDeniedCodes: Set<String> = [
        "AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "UnrecognizedClientException",
        "InvalidClientTokenId", "SignatureDoesNotMatch", "AuthFailure", "ExpiredToken", "ExpiredTokenException",
        "InvalidAccessKeyId", "InvalidToken", "OptInRequired", "MissingAuthenticationToken",
    ]

    static let conflictCodes: Set<String> = [
        "EntityAlreadyExists", "BucketAlreadyExists", "BucketAlreadyOwnedByYou", "ResourceAlreadyExistsException",
        "AlreadyExistsException", "ResourceInUseException", "ConflictException", "OperationAborted",
        "DeleteConflict", "DependencyViolation",
    ]

    static let invalidInputCodes: Set<String> = [
        "ValidationError", "ValidationException", "MalformedPolicyDocument", "MissingParameter", "MalformedXML",
        "InvalidInput", "InvalidArgument", "InvalidRequest", "InvalidAction", "InvalidBucketName",
        "InvalidParameterValue", "InvalidParameterCombination", "InvalidParameter", "SerializationException",
    ]

    /// Whether a response is AWS throttling: 429, or an error document with a throttling code.
    /// Suits `HTTPRetryPolicy.isThrottled`.
    public static func isThrottling(_ response: HTTPResponse) -> Bool {
        if response.status == 429 { return true }
        guard response.status >= 400 else { return false }
        return AWSErrorDetails(body: response.body, headers: response.headers).code.map(throttlingCodes.contains) ?? false
    }

    /// Whether a code says the object is not there (`NoSuchBucket`, `InvalidVpcID.NotFound`, …).
    public static func isNotFound(_ code: String) -> Bool {
        code.hasPrefix("NoSuch") || code.hasSuffix(".NotFound") || code.hasSuffix("NotFound")
            || code == "ResourceNotFoundException" || code == "NotFoundException"
    }

    /// The error an unsuccessful response stands for; `operation` names the call, e.g. `ec2:RunInstances`.
    public static func providerError(for response: HTTPResponse, operation: String) -> ProviderError {
        let details = AWSErrorDetails(body: response.body, headers: response.headers)
        let code = details.code ?? fallbackCode(status: response.status)
        var message = "AWS \(operation) failed with HTTP \(response.status)"
        if let text = details.message, !text.isEmpty { message += ": \(text)" }
        if let requestID = details.requestID { message += " [request \(requestID)]" }
        let retryAfter = response.header("retry-after").flatMap { Double($0.trimmingCharacters) }
        return ProviderError(classify(code: code, status: response.status), message, remoteCode: code, retryAfter: retryAfter)
    }

    /// The ProviderError code for an AWS code and HTTP status.
    public static func classify(code: String, status: Int) -> ProviderError.Code {
        if throttlingCodes.contains(code) || transientCodes.contains(code) || status == 429 || status >= 500 {
            return .transient
        }
        if accessDeniedCodes.contains(code) { return .accessDenied }
        if conflictCodes.contains(code) || code.hasSuffix(".Duplicate") || code.hasSuffix(".InUse") { return .conflict }
        if isNotFound(code) { return .failed }
        if invalidInputCodes.contains(code) || code.hasSuffix(".Malformed") || code.hasPrefix("Invalid") {
            return .invalidInput
        }
        if status == 403 { return .accessDenied }
        if status == 409 { return .conflict }
        return .failed
    }

    /// A code for a response without a document (S3's HEAD, a proxy's error page).
    static func fallbackCode(status: Int) -> String {
        switch status {
        case 301: return "PermanentRedirect"
        case 304: return "NotModified"
        case 400: return "BadRequest"
        case 403: return "Forbidden"
        case 404: return "NotFound"
        case 409: return "Conflict"
        case 412: return "PreconditionFailed"
        case 429: return "TooManyRequests"
        case 503: return "ServiceUnavailable"
        default: return status >= 500 ? "InternalError" : "HTTP\(status)"
        }
    }
}
