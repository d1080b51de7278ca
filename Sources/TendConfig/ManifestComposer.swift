import TendModel

/// Builds `ManifestNode`s straight from libyaml's events, checking the limits as it goes: an alias adds the size of
/// what it names to a running count (nothing is expanded to count it), nesting is measured through aliases, and a
/// string's size is checked before it is copied. Work and memory stay proportional to the text.
struct ManifestComposer {
    /// Why composing stopped: a syntax error or a limit, as a diagnostic.
    struct Failure: Error {
        var diagnostic: Diagnostic
    }

    /// A node with what an alias to it costs.
    private struct Composed {
        var node: ManifestNode
        /// Nodes in the tree it stands for, aliases expanded.
        var size: Int
        /// Levels of lists and maps in it.
        var height: Int
    }

    let file: String
    let syntaxName: String
    let limits: ManifestLimits
    private let reader: YAMLEventReader
    private var source: SourceText
    private var anchors: [String: Composed] = [:]
    private var aliasExpansion = 0
    /// The first non-string mapping key: reported after the whole text is known to be well formed.
    private var keyFailure: Diagnostic?

    init(file: String, text: String, syntaxName: String, limits: ManifestLimits) {
        self.file = file
        self.syntaxName = syntaxName
        self.limits = limits
        reader = YAMLEventReader(text: text, maximumStringBytes: limits.maximumStringBytes)
        source = SourceText(bytes: UnsafeBufferPointer(reader.bytes), count: text.utf8.count)
    }

    /// The root node of the single document, nil for an empty stream.
    mutating func compose() throws(Failure) -> ManifestNode? {
        _ = try next() // stream start
        let (first, _) = try next()
        guard case .documentStart = first else { return nil }
        let (event, mark) = try next()
        let root = try node(from: event, at: mark, depth: 0)
        _ = try next() // document end
        let (after, afterMark) = try next()
        if case .documentStart = after {
            throw Failure(diagnostic: Diagnostic(.error, "invalid \(syntaxName): but found another document "
                + "(expected a single document in the stream)", at: location(afterMark)))
        }
        if let keyFailure { throw Failure(diagnostic: keyFailure) }
        return root.node
    }

    private func location(_ mark: YAMLEventReader.Mark) -> SourceLocation {
        SourceLocation(file: file, line: max(mark.line, 1), column: max(mark.column, 1))
    }

    private func next() throws(Failure) -> (YAMLEventReader.Event, YAMLEventReader.Mark) {
        do {
            return try reader.next()
        } catch {
            let suffix = error.context.map { " (\($0))" } ?? ""
            let summary = error.kind == .reader ? "cannot read file: \(error.problem)"
                : "invalid \(syntaxName): \(error.problem)\(suffix)"
            throw Failure(diagnostic: Diagnostic(.error, summary, at: location(error.mark)))
        }
    }

    private func limitFailure(_ summary: String, at mark: YAMLEventReader.Mark) -> Failure {
        Failure(diagnostic: Diagnostic(.error, summary, at: location(mark)))
    }

    /// The node that starts with `event`; `depth` is the number of lists and maps around it.
    private mutating func node(from event: YAMLEventReader.Event, at mark: YAMLEventReader.Mark,
                               depth: Int) throws(Failure) -> Composed {
        switch event {
        case let .scalar(scalar):
            let composed = Composed(node: .scalar(try makeScalar(scalar, at: mark)), size: 1, height: 0)
            if let anchor = scalar.anchor { anchors[anchor] = composed }
            return composed
        case let .alias(name):
            return try expand(alias: name, at: mark, depth: depth)
        case let .sequenceStart(anchor):
            try checkDepth(depth + 1, at: mark)
            var items: [ManifestNode] = []
            var size = 1, height = 1
            while true {
                let (item, itemMark) = try next()
                if case .sequenceEnd = item { break }
                let composed = try node(from: item, at: itemMark, depth: depth + 1)
                items.append(composed.node)
                size += composed.size
                height = max(height, composed.height + 1)
            }
            let composed = Composed(node: .sequence(items, location(mark)), size: size, height: height)
            if let anchor { anchors[anchor] = composed }
            return composed
        case let .mappingStart(anchor):
            try checkDepth(depth + 1, at: mark)
            let composed = try mapping(at: mark, depth: depth + 1)
            if let anchor { anchors[anchor] = composed }
            return composed
        default:
            throw limitFailure("invalid \(syntaxName): unexpected event", at: mark)
        }
    }

    private mutating func mapping(at mark: YAMLEventReader.Mark, depth: Int) throws(Failure) -> Composed {
        var entries: [ManifestNode.Entry] = []
        var firstSeen: [String: SourceLocation] = [:]
        var size = 1, height = 1
        while true {
            let (keyEvent, keyMark) = try next()
            if case .mappingEnd = keyEvent { break }
            let key = try node(from: keyEvent, at: keyMark, depth: depth)
            let (valueEvent, valueMark) = try next()
            let value = try node(from: valueEvent, at: valueMark, depth: depth)
            size += key.size + value.size
            height = max(height, key.height + 1, value.height + 1)
            guard case let .scalar(keyScalar) = key.node else {
                if keyFailure == nil {
                    keyFailure = Diagnostic(.error, "mapping keys must be strings", at: location(keyMark))
                }
                continue
            }
            let keyLocation = location(keyMark)
            if let first = firstSeen[keyScalar.text] {
                throw Failure(diagnostic: Diagnostic(.error, "duplicate key \"\(keyScalar.text)\"; first written at \(first)",
                                                     at: keyLocation))
            }
            firstSeen[keyScalar.text] = keyLocation
            entries.append(ManifestNode.Entry(key: keyScalar.text, keyLocation: keyLocation, value: value.node))
        }
        return Composed(node: .mapping(entries, location(mark)), size: size, height: height)
    }

    private mutating func expand(alias name: String, at mark: YAMLEventReader.Mark, depth: Int) throws(Failure) -> Composed {
        guard let target = anchors[name] else {
            throw limitFailure("invalid \(syntaxName): found undefined alias", at: mark)
        }
        aliasExpansion += target.size
        if aliasExpansion > limits.maximumAliasExpansion {
            throw limitFailure("aliases expand to more than \(limits.maximumAliasExpansion) nodes, the limit of alias "
                + "expansion (alias *\(name) would make \(target.size) more)", at: mark)
        }
        try checkDepth(depth + target.height, at: mark)
        return target
    }

    private func checkDepth(_ depth: Int, at mark: YAMLEventReader.Mark) throws(Failure) {
        guard depth > limits.maximumNestingDepth else { return }
        throw limitFailure("lists and maps are nested deeper than the limit of \(limits.maximumNestingDepth) levels",
                           at: mark)
    }

    private mutating func makeScalar(_ scalar: YAMLEventReader.Scalar, at mark: YAMLEventReader.Mark)
        throws(Failure) -> ManifestNode.Scalar {
        guard scalar.byteCount <= limits.maximumStringBytes else {
            throw limitFailure("a string of \(scalar.byteCount) bytes is longer than the limit of "
                + ManifestLimits.describe(bytes: limits.maximumStringBytes) + " for one string", at: mark)
        }
        let kind = ManifestParser.kind(of: scalar.text, tag: scalar.tag)
        let contentColumn = scalar.text.utf8.contains(0x0A) ? nil
            : source.contentColumn(of: scalar.text, line: mark.line, column: mark.column)
        return ManifestNode.Scalar(text: scalar.text, kind: kind, isPlain: scalar.isPlain, location: location(mark),
                                   contentColumn: contentColumn)
    }
}
