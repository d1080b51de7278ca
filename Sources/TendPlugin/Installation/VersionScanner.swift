/// Reads versions and constraint operators out of text, remembering where it is for error messages.
struct VersionScanner {
    /// A version as written, with how many of its numbers were given (`5.100` gives 2).
    struct Scanned {
        var version: ProviderVersion
        var numberCount: Int
    }

    let text: String
    private let scalars: [Unicode.Scalar]
    private(set) var position = 0

    init(_ text: String) {
        self.text = text
        self.scalars = Array(text.unicodeScalars)
    }

    var isAtEnd: Bool { position >= scalars.count }

    /// The scalar at the current position, if any.
    var current: Unicode.Scalar? { isAtEnd ? nil : scalars[position] }

    mutating func skipSpaces() {
        while let scalar = current, scalar == " " || scalar == "\t" { position += 1 }
    }

    /// Consumes `literal` when the text continues with it.
    mutating func consume(_ literal: String) -> Bool {
        let wanted = Array(literal.unicodeScalars)
        guard position + wanted.count <= scalars.count,
              Array(scalars[position..<position + wanted.count]) == wanted else { return false }
        position += wanted.count
        return true
    }

    /// A message naming the text, the 1-based column and what was expected there.
    func failure(expecting expected: String) -> String {
        let found = current.map { "\"\($0)\"" } ?? "the end"
        return "invalid version \"\(text)\" at column \(position + 1): expected \(expected), found \(found)"
    }

    /// Scans a version at the current position; nil (position unchanged) when no digit starts there. With
    /// `allowingPartial`, `5` and `5.100` are accepted with the missing numbers zero.
    mutating func scanVersion(allowingPartial: Bool) throws -> Scanned? {
        let start = position
        _ = consume("v")
        guard let major = scanNumber() else { position = start; return nil }
        var numbers = [major]
        while numbers.count < 3, consume(".") {
            guard let number = scanNumber() else {
                throw ProviderInstallationError(.invalidVersion, failure(expecting: "a number"))
            }
            numbers.append(number)
        }
        if numbers.count < 3 && !allowingPartial {
            throw ProviderInstallationError(.invalidVersion, failure(expecting: "\".\" and a number"))
        }
        let count = numbers.count
        while numbers.count < 3 { numbers.append(0) }
        var version = ProviderVersion(numbers[0], numbers[1], numbers[2])
        if consume("-") { version.prerelease = try scanIdentifiers() }
        if consume("+") { version.build = try scanIdentifiers() }
        return Scanned(version: version, numberCount: count)
    }

    /// A decimal number without leading zeros.
    private mutating func scanNumber() -> Int? {
        let start = position
        while let scalar = current, ("0"..."9").contains(scalar) { position += 1 }
        guard position > start, position - start <= 9 else { position = start; return nil }
        let digits = String(String.UnicodeScalarView(scalars[start..<position]))
        if digits.count > 1 && digits.hasPrefix("0") { position = start; return nil }
        return Int(digits)
    }

    /// Dot-separated identifiers of ASCII letters, digits and dashes.
    private mutating func scanIdentifiers() throws -> [String] {
        var identifiers: [String] = []
        repeat {
            let start = position
            while let scalar = current, Self.isIdentifierScalar(scalar) { position += 1 }
            guard position > start else {
                throw ProviderInstallationError(.invalidVersion, failure(expecting: "letters, digits or dashes"))
            }
            identifiers.append(String(String.UnicodeScalarView(scalars[start..<position])))
        } while consume(".")
        return identifiers
    }

    private static func isIdentifierScalar(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar) || scalar == "-"
    }
}
