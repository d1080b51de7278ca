import ProviderKit

/// S3's rules for general purpose bucket names, checked before any request: S3-compatible servers
/// (moto among them) accept names AWS rejects, and a bad name should fail at plan, not at apply.
enum S3BucketName {
    /// Throws a terminal `invalidInput` error with remote code `InvalidBucketName` when `name` breaks a rule.
    static func validate(_ name: String) throws {
        if let problem = problem(with: name) {
            throw ProviderError(.invalidInput, "aws_s3_bucket \"\(name)\": invalid bucket name: \(problem)",
                                remoteCode: "InvalidBucketName")
        }
    }

    /// What is wrong with the name, or nil when S3 accepts it.
    static func problem(with name: String) -> String? {
        let bytes = Array(name.utf8)
        guard (3...63).contains(bytes.count) else { return "must be 3 to 63 characters long" }
        let allowed = bytes.allSatisfy { isLowercaseLetterOrDigit($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-") }
        guard allowed else { return "may contain only lowercase letters, digits, dots and hyphens" }
        guard let first = bytes.first, let last = bytes.last, isLowercaseLetterOrDigit(first), isLowercaseLetterOrDigit(last) else {
            return "must begin and end with a letter or digit"
        }
        if name.contains("..") { return "must not contain two adjacent dots" }
        if looksLikeIPAddress(name) { return "must not be formatted as an IP address" }
        if name.hasPrefix("xn--") || name.hasPrefix("sthree-") || name.hasPrefix("amzn-s3-demo-") {
            return "must not begin with a prefix S3 reserves"
        }
        if name.hasSuffix("-s3alias") || name.hasSuffix("--ol-s3") || name.hasSuffix(".mrap") || name.hasSuffix("--x-s3") {
            return "must not end with a suffix S3 reserves"
        }
        return nil
    }

    private static func isLowercaseLetterOrDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    private static func looksLikeIPAddress(_ name: String) -> Bool {
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { part in !part.isEmpty && part.allSatisfy(\.isNumber) }
    }
}
