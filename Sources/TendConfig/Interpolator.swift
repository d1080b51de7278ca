import TendModel

/// Evaluates `${...}` in manifest values: variables, environment, each/count, and references to other resources.
struct Interpolator: Sendable {
    /// Where a value is written; decides what it may refer to.
    enum Site: String, Sendable {
        case property = "properties"
        case provider = "a provider block"
        case forEach = "for_each"
        case count
        case option = "options"
        case output = "an output"
    }

    /// What a reference may point at: a declared resource and its instances.
    struct Target: Sendable {
        enum Instances: Sendable {
            case single
            case forEach([ResourceAddress.InstanceKey])
            case count(Int)
            /// for_each or count could not be evaluated; keys are not checked.
            case unknown
        }

        var schema: ResourceSchema?
        var instances: Instances
    }

    /// The instance being built: each.key/each.value or count.index.
    struct Scope: Sendable {
        var eachKey: String?
        var eachValue: Value?
        var countIndex: Int?
        /// Whether the for_each collection derives from a sensitive value: each.key and each.value are then sensitive.
        var isSensitive = false

        static let none = Scope()
    }

    /// The result of one `${...}`.
    enum Piece {
        case value(Value)
        case reference(Reference)
        case failed
    }

    var variables: [String: Value]
    /// Declared variables, including those without a value (already reported).
    var declaredVariables: Set<String>
    var environment: [String: String]
    /// Variables declared `sensitive: true`: what is derived from them is sensitive.
    var sensitiveVariables: Set<String> = []
    var targets: [String: Target] = [:]
    /// Declared data sources by name, with their schema when the type is known.
    var dataTargets: [String: ResourceSchema?] = [:]
    /// Parsed templates and interpolations, shared by every instance.
    let cache = ParseCache()

    /// A manifest value with every template and interpolation in it parsed: a declaration's properties are parsed
    /// once and shared by all its instances, which then look nothing up by text.
    indirect enum ParsedNode: Sendable {
        /// A null, number or boolean.
        case scalar(ManifestNode.Scalar)
        /// A string, with its template.
        case template(ManifestNode.Scalar, ParsedTemplate)
        case mapping([(key: String, value: ParsedNode)])
        case sequence([ParsedNode])
    }

    struct ParsedTemplate: Sendable {
        var template: Result<Template, Template.SyntaxError>
        /// Each interpolation's parse, in the order of the template's interpolations.
        var interpolations: [Result<ExpressionSyntax, ExpressionSyntax.Problem>]
    }

    /// `node` with its templates and interpolations parsed (through the shared cache).
    func parsed(_ node: ManifestNode) -> ParsedNode {
        switch node {
        case let .scalar(scalar):
            guard scalar.kind == .string else { return .scalar(scalar) }
            let template = cache.template(scalar.text)
            var interpolations: [Result<ExpressionSyntax, ExpressionSyntax.Problem>] = []
            if case let .success(parsed) = template {
                for case let .interpolation(text, _) in parsed.segments { interpolations.append(cache.expression(text)) }
            }
            return .template(scalar, ParsedTemplate(template: template, interpolations: interpolations))
        case let .mapping(entries, _):
            return .mapping(entries.map { ($0.key, parsed($0.value)) })
        case let .sequence(items, _):
            return .sequence(items.map(parsed))
        }
    }

    /// Converts a node into an expression, interpolating strings; `type` guides plain scalars (`0644` stays a string).
    func expression(from node: ManifestNode, expecting type: AttributeType, site: Site, scope: Scope,
                    diagnostics: inout DiagnosticList) -> Expression {
        expression(from: parsed(node), expecting: type, site: site, scope: scope, diagnostics: &diagnostics)
    }

    /// `expression(from:expecting:site:scope:diagnostics:)` of a node parsed already.
    func expression(from node: ParsedNode, expecting type: AttributeType, site: Site, scope: Scope,
                    diagnostics: inout DiagnosticList) -> Expression {
        switch node {
        case let .scalar(scalar):
            switch scalar.kind {
            case let .number(n): return .literal(type == .string && scalar.isPlain ? .string(scalar.text) : .number(n))
            case let .bool(b): return .literal(type == .string && scalar.isPlain ? .string(scalar.text) : .bool(b))
            case .null, .string: return .literal(.null)   // `parsed(_:)` makes every string a `.template`
            }
        case let .template(scalar, template):
            return expression(from: scalar, template: template, site: site, scope: scope, diagnostics: &diagnostics)
        case let .mapping(entries):
            var out: [String: Expression] = [:]
            for entry in entries {
                let elementType: AttributeType
                switch type {
                case let .map(e): elementType = e
                case let .object(fields): elementType = fields[entry.key] ?? .any
                default: elementType = .any
                }
                out[entry.key] = expression(from: entry.value, expecting: elementType, site: site, scope: scope,
                                            diagnostics: &diagnostics)
            }
            if out.values.allSatisfy({ if case .literal = $0 { return true } else { return false } }) {
                return .literal(.map(out.compactMapValues(\.literalValue)))
            }
            return .map(out)
        case let .sequence(items):
            var elementType = AttributeType.any
            if case let .list(e) = type { elementType = e }
            if case let .set(e) = type { elementType = e }
            let out = items.map {
                expression(from: $0, expecting: elementType, site: site, scope: scope, diagnostics: &diagnostics)
            }
            if out.allSatisfy({ if case .literal = $0 { return true } else { return false } }) {
                return .literal(.list(out.compactMap(\.literalValue)))
            }
            return .list(out)
        }
    }

    /// A value with no references (they are reported as errors); `.unknown` where something failed.
    func value(from node: ManifestNode, expecting type: AttributeType = .any, site: Site, scope: Scope = .none,
               diagnostics: inout DiagnosticList) -> Value {
        expression(from: node, expecting: type, site: site, scope: scope, diagnostics: &diagnostics).literalValue ?? .unknown
    }

    /// A string scalar's expression, from its parsed template.
    private func expression(from scalar: ManifestNode.Scalar, template parsed: ParsedTemplate, site: Site, scope: Scope,
                            diagnostics: inout DiagnosticList) -> Expression {
        let template: Template
        switch parsed.template {
        case let .success(t): template = t
        case let .failure(error):
            diagnostics.error(error.message, at: scalar.location(atOffset: error.offset))
            return .literal(.unknown)
        }
        var parts: [Expression.TemplatePart] = []
        parts.reserveCapacity(template.segments.count)
        var failed = false
        var interpolation = 0
        for segment in template.segments {
            switch segment {
            case let .text(t):
                parts.append(.text(t))
            case let .interpolation(text, offset):
                let location = scalar.location(atOffset: offset)
                let syntax = parsed.interpolations[interpolation]
                interpolation += 1
                let piece = evaluate(text, syntax, at: location, site: site, scope: scope, diagnostics: &diagnostics)
                if template.isSingleInterpolation {
                    switch piece {
                    case let .value(v): return .literal(v)
                    case let .reference(r): return .reference(r)
                    case .failed: return .literal(.unknown)
                    }
                }
                switch piece {
                case let .value(v):
                    guard let text = v.interpolationText else {
                        diagnostics.error("cannot insert a \(v.kindName) into a string; write \"${\(text)}\" alone to keep its type",
                                          at: location)
                        failed = true
                        continue
                    }
                    parts.append(.text(text))
                case let .reference(r): parts.append(.reference(r))
                case .failed: failed = true
                }
            }
        }
        if failed { return .literal(.unknown) }
        return Interpolator.join(parts)
    }

    /// Merges adjacent text; a template without references becomes a string literal.
    static func join(_ parts: [Expression.TemplatePart]) -> Expression {
        // All text (a template whose every interpolation had a value): one string, without gathering runs.
        var size = 0
        for part in parts {
            guard case let .text(t) = part else { size = -1; break }
            size += t.utf8.count
        }
        if size >= 0 {
            if parts.count == 1, case let .text(t) = parts[0] { return .literal(.string(t)) }
            var out = ""
            out.reserveCapacity(size)
            for case let .text(t) in parts { out += t }
            return .literal(.string(out))
        }
        var merged: [Expression.TemplatePart] = []
        var run: [String] = []
        func flushRun() {
            guard !run.isEmpty else { return }
            merged.append(.text(concatenated(run)))
            run.removeAll(keepingCapacity: true)
        }
        for part in parts {
            if case let .text(t) = part {
                run.append(t)
            } else {
                flushRun()
                merged.append(part)
            }
        }
        flushRun()
        if merged.isEmpty { return .literal(.string("")) }
        if merged.count == 1, case let .text(t) = merged[0] { return .literal(.string(t)) }
        return .template(merged)
    }

    /// Texts joined into one string allocated at its exact size: growing a string by appends doubles its capacity,
    /// which for large values expanded over thousands of instances would hold twice the memory they need.
    static func concatenated(_ texts: [String]) -> String {
        if texts.count == 1 { return texts[0] }
        var out = ""
        out.reserveCapacity(texts.reduce(0) { $0 + $1.utf8.count })
        for text in texts { out += text }
        return out
    }
}
