import TendModel

/// The code, message and request ID an AWS error document carries, in any protocol's shape:
/// Query/EC2 (`<Response><Errors><Error>`), IAM/STS (`<ErrorResponse><Error>`), S3 (`<Error>`),
/// or JSON (`__type`/`code` and `message`, or the `x-amzn-errortype` header).
public struct AWSErrorDetails: Sendable, Hashable {
    /// The AWS error code, e.g. `Throttling`, `NoSuchBucket`, `InvalidInstanceID.NotFound`.
    public var code: String?
    /// The human message.
    public var message: String?
    /// The request ID, for AWS support.
    public var requestID: String?

    /// Creates details.
    public init(code: String? = nil, message: String? = nil, requestID: String? = nil) {
        self.code = code
        self.message = message
        self.requestID = requestID
    }

    /// Reads the details from a body and its headers; every field is nil for an empty or unreadable body.
    public init(body: [UInt8], headers: [String: String] = [:]) {
        let start = body.first { !($0 == 0x20 || $0 == 0x0a || $0 == 0x0d || $0 == 0x09) }
        if start == UInt8(ascii: "<") {
            self = Self.fromXML(body)
        } else if start == UInt8(ascii: "{") {
            self = Self.fromJSON(body)
        } else {
            self.init()
        }
        if code == nil, let type = headers["x-amzn-errortype"] {
            code = Self.shortCode(type)
        }
        if requestID == nil { requestID = headers["x-amzn-requestid"] ?? headers["x-amz-request-id"] }
    }

    /// The first `Code`, `Message` and `RequestId`/`RequestID` elements anywhere in the document, any case.
    private static func fromXML(_ body: [UInt8]) -> AWSErrorDetails {
        guard let document = XMLNode.parse(body) else { return AWSErrorDetails() }
        return AWSErrorDetails(code: document.firstLeaf(namedIgnoringCase: "code")?.text,
                               message: document.firstLeaf(namedIgnoringCase: "message")?.text,
                               requestID: document.firstLeaf(namedIgnoringCase: "requestid")?.text)
    }

    private static func fromJSON(_ body: [UInt8]) -> AWSErrorDetails {
        // An error body that is not JSON still names the error by its status and headers (the caller's fallback).
        guard case let .map(object)? = body.withUnsafeBufferPointer({ try? JSONValueParser.parse($0) }) else {
            return AWSErrorDetails()
        }
        let code = object["__type"]?.stringValue ?? object["code"]?.stringValue ?? object["Code"]?.stringValue
        let message = object["message"]?.stringValue ?? object["Message"]?.stringValue
        return AWSErrorDetails(code: code.map(shortCode), message: message)
    }

    /// `com.amazonaws.dynamodb.v20120810#ResourceNotFoundException` or `Name:http://…` → `Name`.
    static func shortCode(_ type: String) -> String {
        var code = Substring(type)
        if let hash = code.lastIndex(of: "#") { code = code[code.index(after: hash)...] }
        if let colon = code.firstIndex(of: ":") { code = code[..<colon] }
        return String(code)
    }
}
