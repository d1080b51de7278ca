extension ResourceChange {
    /// The marks of this change's sensitive paths.
    public var sensitiveMarks: SensitiveMarks { SensitiveMarks(sensitivePaths) }

    /// The change with `paths` marked sensitive too (a spec's derived marks, a record's recorded ones).
    public func markingSensitive(_ paths: [AttributePath]) -> ResourceChange {
        // Most changes already carry every mark (a type's sensitive attributes): nothing to merge.
        guard !paths.allSatisfy(sensitivePaths.contains) else { return self }
        var out = self
        out.sensitivePaths = SensitiveMarks(sensitivePaths + paths).paths
        return out
    }
}

extension DriftChange {
    /// The marks of this drift's sensitive paths.
    public var sensitiveMarks: SensitiveMarks { SensitiveMarks(sensitivePaths) }

    /// The drift with `paths` marked sensitive too: items at or below a marked path become sensitive, and the
    /// sensitive parts of items holding them deeper down are replaced by `marker`.
    public func markingSensitive(_ paths: [AttributePath], marker: Value) -> DriftChange {
        let marks = SensitiveMarks(sensitivePaths + paths)
        var out = self
        out.sensitivePaths = marks.paths
        out.attributes = attributes.map { Self.marking($0, marks: marks, marker: marker) }
        return out
    }

    /// One item, and its context, under `marks`.
    private static func marking(_ item: AttributeDrift, marks: SensitiveMarks, marker: Value) -> AttributeDrift {
        var item = item
        if marks.covers(item.path) {
            item.isSensitive = true
        } else if marks.touches(item.path) {
            item.expected = item.expected.map { marks.redacting($0, at: item.path, marker: marker) }
            item.actual = item.actual.map { marks.redacting($0, at: item.path, marker: marker) }
        }
        item.context = item.context.map { marking($0, marks: marks, marker: marker) }
        return item
    }
}

extension ResourceRecord {
    /// The marks of this record's sensitive paths.
    public var sensitiveMarks: SensitiveMarks { SensitiveMarks(sensitivePaths) }
}
