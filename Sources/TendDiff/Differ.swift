import TendModel

/// Computes the change for one resource and the drift seen on the way.
public struct Differ: Sendable {
    public let schema: ResourceSchema
    /// The schema's attributes by name, each with its one-key path: worked out once, used for every resource.
    private let attributes: [Attribute]
    /// Paths of sensitive attributes, sorted.
    public let sensitivePaths: [AttributePath]

    private struct Attribute: Sendable {
        var name: String
        var path: AttributePath
        var schema: AttributeSchema
    }

    /// A differ for one type; make one per type and reuse it across that type's resources.
    public init(schema: ResourceSchema) {
        self.schema = schema
        attributes = schema.attributes.keys.sorted().compactMap { name in
            schema.attributes[name].map { Attribute(name: name, path: AttributePath(keys: name), schema: $0) }
        }
        sensitivePaths = schema.sensitivePaths
    }

    /// The change that takes `observed` to `desired`. `desired` nil means the resource left the configuration.
    /// `requiresReplace` names paths whose change the provider says forces replacement, besides `force_new` attributes.
    /// `forceReplace` replaces an existing object even when nothing changed (`--replace`).
    public func change(address: ResourceAddress, provider: String, desired: [String: Value]?, options: ResourceOptions,
                       record: ResourceRecord?, observation: Observation?,
                       requiresReplace: [AttributePath] = [], forceReplace: Bool = false) -> ResourceChange {
        let sensitive = sensitivePaths
        guard let desired else {
            let before: [String: Value]?
            switch observation {
            case let .present(attrs)?: before = attrs
            case .absent?: before = nil
            case nil: before = record?.attributes
            }
            return ResourceChange(address: address, type: schema.type, provider: provider, action: .delete,
                                  before: before, after: nil, sensitivePaths: sensitive,
                                  reason: before == nil ? "already deleted outside tend; forgotten from state" : "no longer in the configuration")
        }
        guard case let .present(observed)? = observation else {
            let reason = observation == .absent ? "deleted outside tend" : nil
            return ResourceChange(address: address, type: schema.type, provider: provider, action: .create,
                                  before: nil, after: plannedAfterCreate(desired), sensitivePaths: sensitive, reason: reason)
        }
        // Ignored paths, at any depth, take what exists before anything is compared (as Terraform does): the
        // plan never changes them, and apply, which executes `after`, never touches them.
        let wanted = keepingIgnored(options.ignoreChanges, of: observed, in: desired)
        // Equal dictionaries differ nowhere (an unchanged object's planned values are usually the observed dictionary
        // itself, which compares in constant time); a value not known yet still counts as a change.
        let changed = wanted == observed && !wanted.values.contains(where: \.containsUnknown)
            ? [] : changedPaths(desired: wanted, observed: observed, options: options)
        if forceReplace {
            let action: ChangeAction = options.createBeforeDestroy ? .createThenDelete : .deleteThenCreate
            return ResourceChange(address: address, type: schema.type, provider: provider, action: action,
                                  before: observed, after: plannedAfterCreate(wanted), changedPaths: changed,
                                  sensitivePaths: sensitive, reason: ResourceChange.replacementRequested)
        }
        if changed.isEmpty {
            return ResourceChange(address: address, type: schema.type, provider: provider, action: .noop,
                                  before: observed, after: observed, sensitivePaths: sensitive)
        }
        let forcing = changed.filter { path in
            (path.root.flatMap { schema.attributes[$0]?.forceNew } ?? false)
                || requiresReplace.contains { path.hasPrefix($0) || $0.hasPrefix(path) }
        }
        if !forcing.isEmpty {
            let action: ChangeAction = options.createBeforeDestroy ? .createThenDelete : .deleteThenCreate
            return ResourceChange(address: address, type: schema.type, provider: provider, action: action,
                                  before: observed, after: plannedAfterCreate(wanted), changedPaths: changed,
                                  replacePaths: forcing, sensitivePaths: sensitive)
        }
        var after = observed
        for (key, value) in wanted where schema.attributes[key] != nil { after[key] = value }
        for key in changed.compactMap(\.root) where wanted[key] == nil {
            after[key] = nil
        }
        return ResourceChange(address: address, type: schema.type, provider: provider, action: .update,
                              before: observed, after: after, changedPaths: changed, sensitivePaths: sensitive)
    }

    /// `desired` with every ignored path of a settable attribute set to its value in `observed` (removed where
    /// `observed` has none). Computed attributes are left alone: a new object gets new values for them.
    public func keepingIgnored(_ paths: [AttributePath], of observed: [String: Value], in desired: [String: Value]) -> [String: Value] {
        guard !paths.isEmpty else { return desired }
        var out = desired
        for path in paths {
            guard let root = path.root, let attribute = schema.attributes[root], attribute.mode != .computed else { continue }
            out.set(observed.value(at: path), at: path)
        }
        return out
    }

    /// Declared attributes that differ, minus ignore_changes. Computed attributes count only when planned as known.
    public func changedPaths(desired: [String: Value], observed: [String: Value], options: ResourceOptions) -> [AttributePath] {
        var out: [AttributePath] = []
        for attribute in attributes {
            let want = desired[attribute.name]
            switch attribute.schema.mode {
            case .computed, .optionalComputed:
                guard let want, want != .unknown || attribute.schema.mode == .optionalComputed else { continue }
            case .required, .optional:
                break
            }
            if want?.containsUnknown == true {
                if !options.ignores(attribute.path) { out.append(attribute.path) }
                continue
            }
            let paths = ValueComparison.differingPaths(want, observed[attribute.name], at: attribute.path,
                                                       attribute: attribute.schema)
            out += paths.filter { !options.ignores($0) }
        }
        return out
    }

    /// Differences between the last applied attributes and what refresh saw; nil when there are none.
    public func drift(address: ResourceAddress, provider: String, record: ResourceRecord, observation: Observation,
                      options: ResourceOptions) -> DriftChange? {
        switch observation {
        case .absent:
            return DriftChange(address: address, type: schema.type, provider: provider, kind: .missing,
                               before: record.attributes, after: nil, attributes: [], sensitivePaths: sensitivePaths)
        case let .present(observed):
            // Equal attributes differ nowhere: refresh hands an unchanged object back as its recorded dictionary.
            if observed == record.attributes { return nil }
            var items: [DriftChange.AttributeDrift] = []
            for attribute in attributes where !attribute.schema.isVolatile {
                let expected = record.attributes[attribute.name]
                let actual = observed[attribute.name]
                guard expected != nil || actual != nil else { continue }
                let diffs = ValueComparison.differingPaths(expected, actual, at: attribute.path,
                                                           attribute: attribute.schema)
                for diff in diffs where !options.ignores(diff) {
                    items.append(.init(path: diff, expected: record.attributes.value(at: diff), actual: observed.value(at: diff),
                                       isSensitive: attribute.schema.sensitive))
                }
            }
            guard !items.isEmpty else { return nil }
            return DriftChange(address: address, type: schema.type, provider: provider, kind: .changed,
                               before: record.attributes, after: observed, attributes: foldingDerived(items),
                               sensitivePaths: sensitivePaths)
        }
    }

    /// One finding per cause: a changed attribute derived from others (`derivedFrom`) becomes context of the first
    /// of its sources that changed too; derived ones whose sources did not change (a file declared by `source`,
    /// edited on disk) are context of the first of them, which stands for the change.
    func foldingDerived(_ items: [DriftChange.AttributeDrift]) -> [DriftChange.AttributeDrift] {
        var out: [DriftChange.AttributeDrift] = []
        var findingOfRoot: [String: Int] = [:]
        var derived: [(item: DriftChange.AttributeDrift, sources: [String])] = []
        for item in items {
            guard let root = item.path.root else {
                out.append(item)
                continue
            }
            if let sources = schema.attributes[root]?.derivedFrom, !sources.isEmpty {
                derived.append((item, sources))
            } else {
                if findingOfRoot[root] == nil { findingOfRoot[root] = out.count }
                out.append(item)
            }
        }
        var findingOfSources: [[String]: Int] = [:]
        for (item, sources) in derived {
            if let host = sources.lazy.compactMap({ findingOfRoot[$0] }).first ?? findingOfSources[sources] {
                out[host].context.append(item)
            } else {
                findingOfSources[sources] = out.count
                out.append(item)
            }
        }
        return out
    }

    /// What a create will produce: declared values, and "known after apply" for computed ones not yet known.
    public func plannedAfterCreate(_ desired: [String: Value]) -> [String: Value] {
        var after = desired
        for (name, attribute) in schema.attributes where attribute.isComputed && after[name] == nil {
            after[name] = .unknown
        }
        return after
    }
}
