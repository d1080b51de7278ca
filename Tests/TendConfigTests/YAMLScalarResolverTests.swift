import Testing
@testable import TendConfig
import TendFuzzing
import Yams

/// The one-pass resolver types plain scalars exactly as Yams' regular expressions did (bool, int, float, null).
@Suite struct YAMLScalarResolverTests {
    static func yams(_ text: String) -> YAMLScalarResolver.Resolution {
        switch Resolver.default.resolveTag(of: Node(text)) {
        case .bool: return .bool
        case .int: return .int
        case .float: return .float
        case .null: return .null
        default: return .string
        }
    }

    @Test(arguments: [
        "", "~", "null", "Null", "NULL", "nul", "yes", "No", "ON", "off", "true", "False", "y", "0", "-0", "+7", "007",
        "08", "0_7", "0o17", "0o", "0b101", "0b2", "0x1F", "0x", "0xg", "1_000", "1:30", "1:60", "1:5:07", "190:20:30",
        "1.5", "1.", ".5", "+.5", ".5e+3", ".5e3", "1e5", "1e", "1E-7", "-1.5e+300", ".inf", "-.Inf", "+.INF", ".nan",
        "-.nan", "1:30.5", "1:30.", "12:3a", "_1", "1__2", "0.1.2", "2024-01-01", "<<", "=", "1 ", " 1",
    ])
    func agreesWithYamsOnKnownCases(text: String) {
        #expect(YAMLScalarResolver.resolve(text) == Self.yams(text), "\(text)")
    }

    @Test func agreesWithYamsOnGeneratedScalars() {
        let alphabet = Array("0123456789_+-.:eExXoObBafFinINlLuUtTrRsSyY~ ")
        var random = FuzzRandom(seed: 42)
        for _ in 0..<20_000 {
            let text = String((0..<random.below(9)).map { _ in alphabet[random.below(alphabet.count)] })
            #expect(YAMLScalarResolver.resolve(text) == Self.yams(text), "\(text)")
        }
    }
}
