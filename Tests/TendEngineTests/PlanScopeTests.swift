import Testing
import TendModel
@testable import TendEngine

/// How `--target`, `--exclude` and `--replace` addresses are read, and what a partial plan covers.
@Suite struct PlanScopeTests {
    static func address(_ text: String) -> ResourceAddress {
        ResourceAddress(parsing: text) ?? ResourceAddress(name: "unparsed")
    }

    /// net ← front, net ← back ← app[0], app[1]; solo stands alone; data.ami ← app[*].
    static let scope = PlanScope(nodes: [
        PlanScope.Node(address: address("net"), type: "aws_vpc", dependencies: []),
        PlanScope.Node(address: address("front"), type: "aws_subnet", dependencies: [address("net")]),
        PlanScope.Node(address: address("back"), type: "aws_subnet", dependencies: [address("net")]),
        PlanScope.Node(address: .dataSource("ami"), type: "aws_ami", dependencies: []),
        PlanScope.Node(address: address("app[0]"), type: "aws_instance", dependencies: [address("back"), .dataSource("ami")]),
        PlanScope.Node(address: address("app[1]"), type: "aws_instance", dependencies: [address("back"), .dataSource("ami")]),
        PlanScope.Node(address: address("solo"), type: "aws_s3_bucket", dependencies: []),
    ])

    static func names(_ set: Set<ResourceAddress>) -> [String] { set.map(\.description).sorted() }

    @Test(arguments: [
        ("web", "web", nil as String?, true),
        ("web[0]", "web", nil, true),
        ("web[\"a\"]", "web", nil, true),
        ("aws_vpc.web", "web", "aws_vpc", true),
        ("aws_vpc.web[2]", "web", "aws_vpc", true),
        ("data.ami", "data.ami", nil, true),
        ("a b", "", nil, false),
        ("web[", "", nil, false),
        ("1web", "", nil, false),
        ("", "", nil, false),
        ("aws vpc.web", "", nil, false),
    ])
    func readsAddresses(text: String, name: String, type: String?, valid: Bool) {
        let pattern = AddressPattern(parsing: text)
        #expect((pattern != nil) == valid)
        if let pattern {
            #expect(pattern.name == name)
            #expect(pattern.type == type)
        }
    }

    @Test func aPatternWithoutAnIndexMatchesEveryInstance() throws {
        let every = try #require(AddressPattern(parsing: "app"))
        let one = try #require(AddressPattern(parsing: "app[1]"))
        let typed = try #require(AddressPattern(parsing: "aws_s3_bucket.app"))
        #expect(every.matches(Self.address("app[0]"), type: "aws_instance") && every.matches(Self.address("app[1]"), type: "x"))
        #expect(!one.matches(Self.address("app[0]"), type: "aws_instance") && one.matches(Self.address("app[1]"), type: "aws_instance"))
        #expect(!typed.matches(Self.address("app[0]"), type: "aws_instance"))
        #expect(!every.matches(Self.address("apps"), type: "aws_instance"))
    }

    @Test func targetsBringWhatTheyNeedAndExclusionsTakeWhatNeedsThem() throws {
        #expect(Self.names(try Self.scope.covered(by: PlanRequest(targets: ["app[0]"]), destroy: false))
                    == ["app[0]", "back", "data.ami", "net"])
        #expect(Self.names(try Self.scope.covered(by: PlanRequest(excludes: ["back"]), destroy: false))
                    == ["data.ami", "front", "net", "solo"])
        #expect(Self.names(try Self.scope.covered(by: PlanRequest(targets: ["app"], excludes: ["app[1]"]), destroy: false))
                    == ["app[0]", "back", "data.ami", "net"])
        // A destroy walks the other way.
        #expect(Self.names(try Self.scope.covered(by: PlanRequest(targets: ["back"]), destroy: true)) == ["app[0]", "app[1]", "back"])
        #expect(Self.names(try Self.scope.covered(by: PlanRequest(excludes: ["app[1]"]), destroy: true))
                    == ["app[0]", "front", "solo"])
    }

    @Test func anAddressThatMatchesNothingIsAnError() {
        for request in [PlanRequest(targets: ["nope"]), PlanRequest(excludes: ["app[7]"]), PlanRequest(targets: ["aws_vpc.solo"])] {
            let error = #expect(throws: EngineError.self) { try Self.scope.covered(by: request, destroy: false) }
            #expect(error?.code == .invalidRequest)
            #expect(error?.description.contains("matches no resource") == true, "\(error?.description ?? "")")
        }
        let replaced = #expect(throws: EngineError.self) {
            try Self.scope.replaced(["data.ami"], configured: [Self.address("net")])
        }
        #expect(replaced?.description.contains("a data source is read, never replaced") == true)
        let undeclared = #expect(throws: EngineError.self) { try Self.scope.replaced(["solo"], configured: [Self.address("net")]) }
        #expect(undeclared?.description.contains("which the configuration does not declare") == true)
    }
}
