/// A set of version conditions in Terraform's syntax, all of which a version must meet: `~> 5.100`,
/// `>= 1.2.0, < 2.0.0`, `!= 3.1.0`, `4.0.0` (a bare version is exact).
///
/// `~>` is pessimistic: only the rightmost number written may grow, so `~> 5.100` means `>= 5.100.0, < 6.0.0`
/// and `~> 5.100.0` means `>= 5.100.0, < 5.101.0` (`~> 5` means `>= 5.0.0, < 6.0.0`). Numbers left out elsewhere
/// are zero: `>= 5.1` is `>= 5.1.0`. As in Terraform, a prerelease (`5.0.0-beta1`) meets a constraint only when
/// one of its conditions names it exactly (`= 5.0.0-beta1`). The empty constraint allows every release.
public struct VersionConstraint: Sendable, Hashable, Codable, CustomStringConvertible {
    /// How a condition compares.
    public enum Operator: String, Sendable, Hashable, CaseIterable {
        case equal = "="
        case notEqual = "!="
        case greater = ">"
        case greaterOrEqual = ">="
        case less = "<"
        case lessOrEqual = "<="
        case pessimistic = "~>"
    }

    /// One comparison: an operator and the version it compares with.
    public struct Condition: Sendable, Hashable, CustomStringConvertible {
        /// How it compares.
        public var op: Operator
        /// The version compared with, missing numbers zero.
        public var version: ProviderVersion
        /// How many of the three numbers were written (1 to 3); `~>` depends on it.
        public var numberCount: Int

        /// Creates a condition; `numberCount` defaults to all three numbers.
        public init(_ op: Operator, _ version: ProviderVersion, numberCount: Int = 3) {
            self.op = op
            self.version = version
            self.numberCount = min(max(numberCount, 1), 3)
        }

        /// Whether `candidate` meets this condition, not counting the prerelease rule.
        public func isMet(by candidate: ProviderVersion) -> Bool {
            switch op {
            case .equal: return candidate == version
            case .notEqual: return candidate != version
            case .greater: return candidate > version
            case .greaterOrEqual: return candidate >= version
            case .less: return candidate < version
            case .lessOrEqual: return candidate <= version
            case .pessimistic: return candidate >= version && candidate < pessimisticBound
            }
        }

        /// The first version `~>` excludes: the next major when one or two numbers were written, else the next minor.
        var pessimisticBound: ProviderVersion {
            numberCount == 3 ? ProviderVersion(version.major, version.minor + 1, 0)
                             : ProviderVersion(version.major + 1, 0, 0)
        }

        /// The condition as written: `~> 5.100`.
        public var description: String {
            let numbers = [version.major, version.minor, version.patch].prefix(numberCount).map(String.init)
            var text = numbers.joined(separator: ".")
            if !version.prerelease.isEmpty { text += "-" + version.prerelease.joined(separator: ".") }
            if !version.build.isEmpty { text += "+" + version.build.joined(separator: ".") }
            return "\(op.rawValue) \(text)"
        }
    }

    /// The conditions, all of which must hold; none allows every release.
    public var conditions: [Condition]

    /// Every release; no prerelease.
    public static let any = VersionConstraint(conditions: [])

    /// Creates a constraint from conditions.
    public init(conditions: [Condition]) {
        self.conditions = conditions
    }

    /// Whether `version` meets every condition; a prerelease must also be named by an `=` condition.
    public func isSatisfied(by version: ProviderVersion) -> Bool {
        if version.isPrerelease,
           !conditions.contains(where: { $0.op == .equal && $0.version == version }) {
            return false
        }
        return conditions.allSatisfy { $0.isMet(by: version) }
    }

    /// The newest of `versions` that meets the constraint.
    public func newest<S: Sequence>(of versions: S) -> ProviderVersion? where S.Element == ProviderVersion {
        versions.filter(isSatisfied).max()
    }

    /// The conditions joined by `, `, in a normal form: `>= 1.2.0, < 2.0.0`.
    public var description: String {
        conditions.map(\.description).joined(separator: ", ")
    }

    public init(from decoder: any Decoder) throws {
        try self.init(parsing: try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
