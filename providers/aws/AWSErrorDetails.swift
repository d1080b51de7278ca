#if canImport(FoundationXML)
import FoundationXML
#endif
import Foundation

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

    private static func fromXML(_ body: [UInt8]) -> AWSErrorDetails {
        guard XMLNode.isReadable(body) else { return AWSErrorDetails() }
        let reader = ErrorDocumentReader()
        let parser = XMLParser(data: Data(body))
        parser.delegate = reader
        parser.shouldResolveExternalEntities = false
        _ = parser.parse()
        return AWSErrorDetails(code: reader.values["code"], message: reader.values["message"],
                               requestID: reader.values["requestid"])
    }

    private static func fromJSON(_ body: [UInt8]) -> AWSErrorDetails {
        // An error body that is not JSON still names the error by its status and headers (the caller's fallback).
        guard let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] else {
            return AWSErrorDetails()
        }
        let code = (object["__type"] as? String) ?? (object["code"] as? String) ?? (object["Code"] as? String)
        let message = (object["message"] as? String) ?? (object["Message"] as? String)
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

/// Keeps the text of the first `Code`, `Message` and `RequestId`/`RequestID` elements anywhere in the document.
private final class ErrorDocumentReader: NSObject, XMLParserDelegate {
    private(set) var values: [String: String] = [:]
    private var current: String?
    private var text = ""

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName: String?, attributes: [String: String] = [:]) {
        let name = elementName.lowercased()
        current = ["code", "message", "requestid"].contains(name) && values[name] == nil ? name : nil
        text = ""
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if current != nil { text += string }
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
        if let name = current, name == elementName.lowercased() {
            values[name] = text.trimmingCharacters
        }
        current = nil
    }
}
