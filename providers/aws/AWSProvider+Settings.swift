import ProviderKit
import TendModel

extension AWSProvider {
    /// The provider block's numeric settings, with their bounds and defaults: `validate` checks them in the
    /// manifest, and `integerSetting` checks them again where they are read, so no value can trap.
    static let numericSettings: [String: (range: ClosedRange<Int64>, default: Int, description: String)] = [
        "max_concurrency": (1...1024, 16, "Requests in flight at once, 1 to 1024."),
        "max_retries": (0...20, 4, "Retries of throttled, 429, 5xx and timed-out requests, 0 to 20."),
        "request_timeout": (1...600, 30, "Seconds one HTTP request may take before it counts as timed out, 1 to 600."),
    ]

    /// The settings of the `aws` provider block that `validate` checks.
    public var settingsSchema: [String: AttributeSchema] {
        AWSProvider.numericSettings.mapValues { setting in
            AttributeSchema(.number, .optional, default: .number(Number(setting.default)), description: setting.description,
                            constraint: .integer(setting.range))
        }
    }

    /// A numeric setting of the provider block: its default when absent or null, invalid input when it is not a
    /// whole number within its bounds.
    static func integerSetting(_ name: String, in block: [String: Value]) throws -> Int {
        guard let setting = numericSettings[name] else {
            throw ProviderError(.invalidInput, "the aws provider has no numeric setting \(name)")
        }
        guard let value = block[name], value != .null else { return setting.default }
        guard let checked = ValueConstraint.checkedInteger(value, in: setting.range), let integer = Int(exactly: checked) else {
            throw ProviderError(.invalidInput, "aws provider: \(name) must be a whole number from \(setting.range.lowerBound) to \(setting.range.upperBound), got \(value.canonicalJSON)")
        }
        return integer
    }
}
