import TendModel

/// Permission bits of a file, written as 4-digit octal (`"0644"`).
struct FileMode: Sendable, Hashable, CustomStringConvertible {
    /// The bits, at most `0o7777`.
    let bits: UInt32

    /// Wraps permission bits; bits above `0o7777` are dropped.
    init(bits: UInt32) {
        self.bits = bits & 0o7777
    }

    /// Parses 1 to 4 octal digits (`"644"`, `"0644"`, `"4755"`); nil when malformed or too large.
    /// The same rule `validate` applies (`ValueConstraint.fileMode`), so the two never disagree.
    init?(parsing text: String) {
        guard let value = ValueConstraint.fileModeBits(.string(text)) else { return nil }
        bits = value
    }

    /// Four octal digits with leading zeros.
    var description: String {
        let digits = String(bits, radix: 8)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}
