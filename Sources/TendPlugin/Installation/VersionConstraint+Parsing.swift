extension VersionConstraint {
    /// Parses comma-separated conditions; throws `.invalidConstraint` naming the text, the column and what was
    /// expected there. Empty or blank text is `VersionConstraint.any`.
    public init(parsing text: String) throws {
        var scanner = VersionScanner(text)
        var conditions: [Condition] = []
        scanner.skipSpaces()
        if scanner.isAtEnd {
            self.init(conditions: [])
            return
        }
        repeat {
            scanner.skipSpaces()
            let op = Self.scanOperator(&scanner)
            scanner.skipSpaces()
            let scanned: VersionScanner.Scanned?
            do {
                scanned = try scanner.scanVersion(allowingPartial: true)
            } catch let error as ProviderInstallationError {
                throw Self.constraintError(error.message)
            }
            guard let scanned else {
                throw Self.constraintError(scanner.failure(expecting: "a version"))
            }
            conditions.append(Condition(op, scanned.version, numberCount: scanned.numberCount))
            scanner.skipSpaces()
            if !scanner.isAtEnd && scanner.current != "," {
                throw Self.constraintError(scanner.failure(expecting: "\",\" or the end"))
            }
        } while scanner.consume(",")
        self.init(conditions: conditions)
    }

    /// The longest operator at the scanner's position; a bare version means `=`.
    private static func scanOperator(_ scanner: inout VersionScanner) -> Operator {
        for op in [Operator.greaterOrEqual, .lessOrEqual, .notEqual, .pessimistic, .equal, .greater, .less]
        where scanner.consume(op.rawValue) {
            return op
        }
        return .equal
    }

    /// Rewords a scanner message ("invalid version …") as a constraint error.
    private static func constraintError(_ message: String) -> ProviderInstallationError {
        var text = message
        if text.hasPrefix("invalid version ") {
            text = "invalid version constraint " + text.dropFirst("invalid version ".count)
        }
        return ProviderInstallationError(.invalidConstraint, text)
    }
}
