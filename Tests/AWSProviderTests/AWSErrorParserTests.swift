import AWSProvider
import ProviderKit
import TendHTTP
import Testing

/// Error documents of each AWS protocol, and how they are classified.
@Suite struct AWSErrorParserTests {
    private func response(_ status: Int, _ body: String, headers: [String: String] = [:]) -> HTTPResponse {
        HTTPResponse(status: status, headers: headers, body: Array(body.utf8))
    }

    @Test func readsQueryAndEC2Errors() {
        let body = """
            <?xml version="1.0" encoding="UTF-8"?>
            <Response><Errors><Error><Code>InvalidInstanceID.NotFound</Code>\
            <Message>The instance ID 'i-1' does not exist</Message></Error></Errors>\
            <RequestID>ea966190-f9aa-478e-9ede-example</RequestID></Response>
            """
        let error = AWSErrorParser.providerError(for: response(400, body), operation: "ec2:DescribeInstances")
        #expect(error.remoteCode == "InvalidInstanceID.NotFound")
        #expect(error.code == .failed)
        #expect(error.message.contains("ec2:DescribeInstances"))
        #expect(error.message.contains("The instance ID 'i-1' does not exist"))
        #expect(error.message.contains("ea966190-f9aa-478e-9ede-example"))
        #expect(AWSErrorParser.isNotFound("InvalidInstanceID.NotFound"))
    }

    @Test func readsIAMAndSTSErrors() {
        let body = """
            <ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">
              <Error><Type>Sender</Type><Code>EntityAlreadyExists</Code>
                <Message>Role with name web already exists.</Message></Error>
              <RequestId>4a8c-example</RequestId>
            </ErrorResponse>
            """
        let error = AWSErrorParser.providerError(for: response(409, body), operation: "iam:CreateRole")
        #expect(error.remoteCode == "EntityAlreadyExists")
        #expect(error.code == .conflict)
        #expect(error.message.contains("Role with name web already exists."))
        #expect(error.description.hasSuffix("(EntityAlreadyExists)"))
    }

    @Test func readsS3Errors() {
        let body = """
            <?xml version="1.0" encoding="UTF-8"?>
            <Error><Code>NoSuchBucket</Code><Message>The specified bucket does not exist</Message>\
            <BucketName>missing</BucketName><RequestId>4442587FB7D0A2F9</RequestId></Error>
            """
        let error = AWSErrorParser.providerError(for: response(404, body), operation: "s3:GetBucketTagging")
        #expect(error.remoteCode == "NoSuchBucket")
        #expect(error.code == .failed)
        #expect(error.isTransient == false)
    }

    @Test func readsJSONErrors() {
        let body = #"{"__type":"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException","message":"Table not found"}"#
        let error = AWSErrorParser.providerError(for: response(400, body), operation: "dynamodb:DescribeTable")
        #expect(error.remoteCode == "ResourceNotFoundException")
        #expect(error.message.contains("Table not found"))
        let headerOnly = response(400, "", headers: ["x-amzn-errortype": "ThrottlingException:http://internal.amazon.com/"])
        #expect(AWSErrorParser.providerError(for: headerOnly, operation: "lambda:GetFunction").remoteCode == "ThrottlingException")
    }

    @Test func namesBodilessErrorsByStatus() {
        let error = AWSErrorParser.providerError(for: response(404, ""), operation: "s3:HeadObject")
        #expect(error.remoteCode == "NotFound")
        #expect(error.code == .failed)
        #expect(AWSErrorParser.providerError(for: response(503, ""), operation: "s3:HeadObject").isTransient)
    }

    @Test(arguments: ["Throttling", "ThrottlingException", "RequestLimitExceeded", "SlowDown", "RequestThrottled",
                      "TooManyRequestsException", "RequestTimeout", "InternalError", "ServiceUnavailable"])
    func throttlingAndServerTroubleAreTransient(code: String) {
        let body = "<ErrorResponse><Error><Code>\(code)</Code><Message>x</Message></Error></ErrorResponse>"
        let error = AWSErrorParser.providerError(
            for: response(400, body, headers: ["retry-after": "3"]), operation: "ec2:RunInstances")
        #expect(error.isTransient)
        #expect(error.remoteCode == code)
        #expect(error.retryAfter == 3)
    }

    @Test(arguments: [
        ("AccessDenied", 403, ProviderError.Code.accessDenied), ("UnauthorizedOperation", 403, .accessDenied),
        ("SignatureDoesNotMatch", 403, .accessDenied), ("InvalidParameterValue", 400, .invalidInput),
        ("ValidationError", 400, .invalidInput), ("MalformedPolicyDocument", 400, .invalidInput),
        ("InvalidGroup.Duplicate", 400, .conflict), ("BucketAlreadyExists", 409, .conflict),
        ("NoSuchEntity", 404, .failed), ("SomethingNew", 400, .failed), ("SomethingNew", 500, .transient),
        ("SomethingNew", 403, .accessDenied),
    ])
    func classifiesTerminalErrors(code: String, status: Int, expected: ProviderError.Code) {
        #expect(AWSErrorParser.classify(code: code, status: status) == expected)
    }

    @Test func throttlingClassifierFeedsTheRetryPolicy() {
        let throttled = response(400, "<Response><Errors><Error><Code>Throttling</Code></Error></Errors></Response>")
        let invalid = response(400, "<Response><Errors><Error><Code>InvalidParameterValue</Code></Error></Errors></Response>")
        let policy = HTTPRetryPolicy.aws()
        let change = HTTPRequest(method: "POST", url: "http://127.0.0.1/")
        #expect(policy.reason(for: throttled, to: change) == .throttled(400), "a throttled change was not carried out: send it again")
        #expect(policy.reason(for: invalid, to: change) == nil)
        let slowDown = response(503, "<Error><Code>SlowDown</Code></Error>")
        #expect(policy.reason(for: slowDown, to: change) == .throttled(503))
        #expect(policy.reason(for: response(503, ""), to: change) == nil, "a change that got a 5xx may have been carried out")
        let read = HTTPRequest(method: "GET", url: "http://127.0.0.1/")
        #expect(policy.reason(for: response(500, ""), to: read) == nil, "a read's 5xx goes to the engine's one retry layer")
        #expect(policy.reason(for: slowDown, to: read) == .throttled(503))
        #expect(policy.reason(for: HTTPError(.timeout, "timed out"), to: read) != nil, "a read whose transport failed is sent again")
        #expect(AWSErrorParser.isThrottling(response(429, "")))
        #expect(!AWSErrorParser.isThrottling(response(200, "<Code>Throttling</Code>")))
    }

    @Test func survivesGarbage() {
        for body in ["", "<", "<Error><Code>", "{", "not xml", "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><Error><Code>&e;</Code></Error>"] {
            let error = AWSErrorParser.providerError(for: response(400, body), operation: "ec2:RunInstances")
            #expect(error.remoteCode != nil)
            #expect(error.message.contains("ec2:RunInstances"))
            #expect(!(error.remoteCode ?? "").contains("root:"))
        }
    }
}
