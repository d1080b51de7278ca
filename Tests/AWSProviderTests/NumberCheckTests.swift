import AWSProvider
import ProviderKit
import TendModel
import Testing

/// Numbers that reach the aws provider without `validate` (a value known only at plan time, a configuration built
/// in code) are invalid input, never a trap (issue 9, defect 4). Nothing here sends a request.
@Suite struct NumberCheckTests {
    let provider = AWSProvider(environment: ["AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                                             "AWS_REGION": "us-east-1"], homeDirectory: nil)

    func context(_ settings: [String: Value] = [:]) -> ProviderContext {
        ProviderContext(baseDirectory: "/tmp", stack: "numbers",
                        configuration: settings.merging(["endpoint": .string("http://127.0.0.1:9")]) { mine, _ in mine })
    }

    @Test(arguments: [("max_concurrency", "1e300"), ("max_concurrency", "0"), ("max_concurrency", "2.5"),
                      ("max_retries", "-1"), ("max_retries", "1e300")])
    func rejectsProviderSettingsOutOfRange(setting: String, text: String) async throws {
        let value = Value.number(try #require(Number(parsing: text)))
        let error = await #expect(throws: ProviderError.self) {
            _ = try await provider.plan(type: "aws_vpc", desired: ["cidr_block": .string("10.0.0.0/16")],
                                        context: context([setting: value]))
        }
        #expect(error?.code == .invalidInput)
        #expect(error?.message.contains(setting) == true)
    }

    @Test func declaresItsSettingsForValidate() {
        #expect(provider.settingsSchema["max_concurrency"]?.constraint == .integer(1...1024))
        #expect(provider.settingsSchema["max_retries"]?.constraint == .integer(0...20))
    }

    @Test(arguments: ["1e300", "65536", "-2", "22.5"])
    func rejectsSecurityGroupPortsOutOfRangeAtPlan(text: String) async throws {
        let port = Value.number(try #require(Number(parsing: text)))
        let rule = Value.map(["protocol": .string("tcp"), "from_port": port, "to_port": .number(443),
                              "cidr_blocks": .list([.string("0.0.0.0/0")])])
        let error = await #expect(throws: ProviderError.self) {
            _ = try await provider.plan(type: "aws_security_group",
                                        desired: ["name": .string("web"), "vpc_id": .string("vpc-1"), "ingress": .list([rule])],
                                        context: context())
        }
        #expect(error?.code == .invalidInput)
        #expect(error?.message.contains("ingress[0].from_port") == true, "\(error?.message ?? "")")
    }
}
