import Foundation
@testable import AWSProvider
import ProviderKit
import TendFuzzing
import TendHTTP
import Testing

/// Whatever an endpoint sends back (truncated, garbled, hostile XML or JSON), reading it never crashes or hangs:
/// it becomes a value or a `ProviderError` that says what was wrong.
@Suite struct AWSResponseFuzzTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// Response shapes of the calls tend makes: EC2 (Query), IAM, S3 (REST XML), errors of each protocol, JSON.
    static let corpus: [[UInt8]] = [
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <DescribeVpcsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r-1</requestId><vpcSet><item>\
        <vpcId>vpc-1</vpcId><cidrBlock>10.0.0.0/16</cidrBlock><state>available</state><isDefault>false</isDefault>\
        <tagSet><item><key>tend:stack</key><value>s</value></item><item><key>env</key><value>dev</value></item></tagSet>\
        </item></vpcSet></DescribeVpcsResponse>
        """,
        """
        <DescribeSecurityGroupsResponse><securityGroupInfo><item><groupId>sg-1</groupId><groupName>web</groupName>\
        <ipPermissions><item><ipProtocol>tcp</ipProtocol><fromPort>443</fromPort><toPort>443</toPort><ipRanges><item>\
        <cidrIp>0.0.0.0/0</cidrIp><description>https</description></item></ipRanges></item></ipPermissions>\
        <ipPermissionsEgress><item><ipProtocol>-1</ipProtocol><ipRanges><item><cidrIp>0.0.0.0/0</cidrIp></item>\
        </ipRanges></item></ipPermissionsEgress></item></securityGroupInfo></DescribeSecurityGroupsResponse>
        """,
        """
        <GetRoleResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><GetRoleResult><Role><Path>/</Path>\
        <RoleName>app</RoleName><RoleId>AROA1</RoleId><Arn>arn:aws:iam::1:role/app</Arn>\
        <CreateDate>2024-01-01T00:00:00Z</CreateDate><AssumeRolePolicyDocument>%7B%22Version%22%3A%222012-10-17%22%7D\
        </AssumeRolePolicyDocument><Tags><member><Key>team</Key><Value>x</Value></member></Tags></Role></GetRoleResult>\
        </GetRoleResponse>
        """,
        """
        <ListVersionsResult><Name>b</Name><Version><Key>a</Key><VersionId>v1</VersionId></Version>\
        <DeleteMarker><Key>b</Key><VersionId>v2</VersionId></DeleteMarker><IsTruncated>false</IsTruncated></ListVersionsResult>
        """,
        """
        <Response><Errors><Error><Code>InvalidVpcID.NotFound</Code><Message>The vpc 'vpc-1' does not exist</Message>\
        </Error></Errors><RequestID>r-2</RequestID></Response>
        """,
        "<Error><Code>SlowDown</Code><Message>Reduce your request rate.</Message><RequestId>r-3</RequestId></Error>",
        #"{"__type": "com.amazon#ThrottlingException", "message": "Rate exceeded"}"#,
        #"{"ResourceTagMappingList": [{"ResourceARN": "arn:aws:s3:::b", "Tags": [{"Key": "tend:stack", "Value": "s"}]}], "PaginationToken": ""}"#,
    ].map { Array($0.utf8) }

    static func read(_ body: [UInt8]) -> FuzzRunner.Outcome {
        let response = HTTPResponse(status: 400, headers: [:], body: body)
        let error = AWSErrorParser.providerError(for: response, operation: "ec2:Fuzz")
        guard !error.message.isEmpty else { return .rejected("") }
        if body.first == UInt8(ascii: "{") {
            // The JSON protocol's reading, as AWSSession.json does it.
            let isObject = (try? JSONSerialization.jsonObject(with: Data(body))) is [String: Any] // not JSON: refused
            return isObject ? .accepted : .rejected("not a JSON object")
        }
        guard let document = XMLNode.parse(body) else { return .rejected("not XML") }
        for item in document.descendants("item") + document.descendants("member") {
            _ = EC2Tags.userTags(of: item)
            _ = EC2API.ownerTags(item)
            _ = IAMRole.tags(in: item)
        }
        for permissions in document.descendants("ipPermissions") + document.descendants("ipPermissionsEgress") {
            _ = EC2SecurityGroupRule.value(of: EC2SecurityGroupRule.observed(permissions))
        }
        for role in document.descendants("Role") {
            _ = IAMRole(role)?.attributes(prior: [:])
        }
        return .accepted
    }

    @Test func responseReadersSurviveMutatedResponses() {
        let runner = FuzzRunner(target: "aws-response", defaultInputs: 4_000, environment: ProcessInfo.processInfo.environment,
                                mutator: .markup)
        let summary = runner.run(corpus: Self.corpus) { Self.read($0) }
        #expect(summary.hangs == 0)
        #expect(summary.silentErrors == 0)
        #expect(summary.accepted > 0 && summary.errors > 0)
    }

    /// Found by fuzzing: FoundationXML trapped on an element name that is not UTF-8.
    @Test func anElementNameThatIsNotUTF8IsNotXML() {
        #expect(XMLNode.parse(Array("<a".utf8) + [0xEF] + Array("b>x</a>".utf8)) == nil)
        #expect(XMLNode.parse(Array("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a>x</a>".utf8)) == nil)
        #expect(XMLNode.parse(Array("<?xml version=\"1.0\" encoding=\"UTF-8\"?><a>é</a>".utf8))?.text == "é")
        let details = AWSErrorDetails(body: Array("<Error><Co".utf8) + [0xEF] + Array("de>X</Code></Error>".utf8))
        #expect(details.code == nil)
    }

    @Test func savedResponsesAreReadCleanly() {
        for (name, bytes) in FuzzCorpus.regressions(target: "aws-response", packageRoot: Self.packageRoot) {
            if case let .rejected(message) = Self.read(bytes) { #expect(!message.isEmpty, "\(name)") }
        }
    }
}
