import TendModel

/// The plan as JSON in the shape of Terraform's plan JSON (format_version 1.2), so policy tools read it.
/// Sensitive values are replaced by null and flagged in before_sensitive/after_sensitive.
struct PlanJSONView {
    func render(_ plan: Plan) -> String {
        var text: [UInt8] = []
        write(plan) { text.append(contentsOf: $0) }
        return String(decoding: text, as: UTF8.self)
    }

    /// Writes the plan JSON through `emit` in pieces of about `chunk` bytes, the same bytes `render` returns. Each
    /// top-level member is built only when its turn comes and each change on its own, so the whole document never
    /// exists in memory at once (a plan of a few thousand objects is megabytes of JSON).
    func write(_ plan: Plan, chunk: Int = 1 << 16, to emit: ([UInt8]) -> Void) {
        let changes = plan.changes + plan.deposed
        let deferred = plan.deferredReads
        var members: [(key: String, value: Member)] = [
            ("format_version", .value { .string("1.2") }),
            ("terraform_version", .value { .string(TerraformValues.terraformVersion) }),
            ("tend_version", .value { .string(TendVersion.current) }),
            ("applyable", .value { .bool(plan.hasChanges) }),
            // As Terraform: a targeted plan is not complete, whatever it holds.
            ("complete", .value { .bool(!plan.request.isPartial) }),
            ("errored", .value { .bool(false) }),
            ("planned_values", .value {
                TerraformValues.module(plannedValues(plan), outputs: plan.outputs.compactMap { change in
                    change.after.map { OutputValue(name: change.name, value: $0, sensitive: change.sensitive) }
                })
            }),
            ("prior_state", .value {
                .map([
                    "format_version": .string("1.0"),
                    "terraform_version": .string(TerraformValues.terraformVersion),
                    "values": TerraformValues.module(priorValues(plan), outputs: plan.outputs.compactMap { change in
                        change.before.map { OutputValue(name: change.name, value: $0, sensitive: change.sensitive) }
                    }),
                ])
            }),
            ("configuration", .value { configuration(plan) }),
            ("resource_changes", .list(changes.count + deferred.count) { index in
                index < changes.count ? render(changes[index]) : render(deferred[index - changes.count])
            }),
            ("resource_drift", .list(plan.drift.count) { render(plan.drift[$0]) }),
            ("relevant_attributes", .value { .list(relevantAttributes(plan)) }),
            ("output_changes", .value { TerraformOutputs.changes(plan.outputs) }),
        ]
        if let created = plan.createdAt { members.append(("timestamp", .value { .string(TerraformValues.timestamp(created)) })) }
        if plan.request.isPartial { members.append(("partial", .value { Self.scope(plan.request) })) }
        if !plan.request.refresh { members.append(("refreshed", .value { .bool(false) })) }

        // Keys sorted as `Value.canonicalJSON` sorts a map's, so the bytes are those of the whole document's.
        var out: [UInt8] = []
        out.reserveCapacity(chunk + chunk / 4)
        func flushIfFull() {
            guard out.count >= chunk else { return }
            emit(out)
            out.removeAll(keepingCapacity: true)
        }
        out.append(UInt8(ascii: "{"))
        for (position, member) in members.sorted(by: { $0.key < $1.key }).enumerated() {
            if position > 0 { out.append(UInt8(ascii: ",")) }
            Value.appendQuoted(member.key, to: &out)
            out.append(UInt8(ascii: ":"))
            switch member.value {
            case let .value(build):
                build().appendCanonicalJSON(to: &out)
                flushIfFull()
            case let .list(count, element):
                out.append(UInt8(ascii: "["))
                for index in 0..<count {
                    if index > 0 { out.append(UInt8(ascii: ",")) }
                    element(index).appendCanonicalJSON(to: &out)
                    flushIfFull()
                }
                out.append(UInt8(ascii: "]"))
            }
        }
        out.append(contentsOf: "}\n".utf8)
        emit(out)
    }

    /// A top-level member of the document: one value, or a list built element by element.
    private enum Member {
        case value(() -> Value)
        case list(Int, (Int) -> Value)
    }

    /// The configuration block, with the outputs in its root module when there are any.
    private func configuration(_ plan: Plan) -> Value {
        let rendered = TerraformConfiguration.render(plan.specs)
        guard !plan.outputSpecs.isEmpty, case var .map(top) = rendered, case var .map(root)? = top["root_module"] else {
            return rendered
        }
        root["outputs"] = TerraformOutputs.configuration(plan.outputSpecs)
        top["root_module"] = .map(root)
        return .map(top)
    }

    /// What a partial plan or check was narrowed to: the addresses given to `--target` and `--exclude`.
    static func scope(_ request: PlanRequest) -> Value {
        .map(["targets": .list(request.targets.map(Value.string)), "excludes": .list(request.excludes.map(Value.string))])
    }

    /// What each instance will hold after apply: every change but deletes, with its planned values.
    private func plannedValues(_ plan: Plan) -> [Value] {
        plan.changes.compactMap { change in
            guard let after = change.after, change.action != .delete else { return nil }
            return TerraformValues.resource(change.address, type: change.type, provider: change.provider, values: after,
                                            sensitive: SensitiveMarks(change.sensitivePaths))
        }
    }

    /// The state the plan starts from, as refreshed: every instance that exists now.
    private func priorValues(_ plan: Plan) -> [Value] {
        (plan.changes + plan.deposed).compactMap { change in
            guard let before = change.before else { return nil }
            return TerraformValues.resource(change.address, type: change.type, provider: change.provider, values: before,
                                            sensitive: SensitiveMarks(change.sensitivePaths))
        }
    }

    /// The attributes of drifted resources that changed outside tend, as `{resource, attribute}` pairs (the attribute
    /// a path of keys), the way Terraform lists the drift that bears on a plan.
    private func relevantAttributes(_ plan: Plan) -> [Value] {
        plan.drift.flatMap { drift -> [Value] in
            let before = drift.before ?? [:], after = drift.after ?? [:]
            return Set(before.keys).union(after.keys).sorted().filter { before[$0] != after[$0] }.map { key in
                .map(["resource": .string(drift.address.description), "attribute": .list([.string(key)])])
            }
        }
    }

    private func render(_ change: ResourceChange) -> Value {
        var changeBody = body(actions: change.action.terraformActions, before: change.before, after: change.after,
                              sensitive: change.sensitivePaths)
        if !change.replacePaths.isEmpty {
            changeBody["replace_paths"] = .list(change.replacePaths.map(Self.pathValue))
        }
        var entry = header(change.address, change.type, change.provider)
        entry["change"] = .map(changeBody)
        if let reason = change.reason { entry["action_reason_text"] = .string(reason) }
        if let deposed = change.deposedID { entry["deposed"] = .string(deposed) }
        if change.action.isReplace {
            entry["action_reason"] = .string(change.reason == ResourceChange.replacementRequested ? "replace_by_request"
                                                                                                  : "replace_because_cannot_update")
        }
        return .map(entry)
    }

    /// A data source read during apply, as Terraform shows one: mode `data`, action `read`.
    private func render(_ read: DataSourceRead) -> Value {
        var entry = header(read.spec.address, read.spec.type, read.spec.provider)
        entry["mode"] = .string("data")
        entry["name"] = .string(read.spec.name)
        entry["change"] = .map(body(actions: ["read"], before: nil, after: nil, sensitive: read.spec.sensitivePaths))
        let waitsForConfig = read.deferralReason?.hasSuffix("known only after apply") == true
        entry["action_reason"] = .string(waitsForConfig ? "read_because_config_unknown" : "read_because_dependency_pending")
        if let reason = read.deferralReason { entry["action_reason_text"] = .string(reason) }
        return .map(entry)
    }

    private func render(_ drift: DriftChange) -> Value {
        let actions = drift.kind == .missing ? ["delete"] : ["update"]
        var entry = header(drift.address, drift.type, drift.provider)
        entry["change"] = .map(body(actions: actions, before: drift.before, after: drift.after, sensitive: drift.sensitivePaths))
        return .map(entry)
    }

    private func header(_ address: ResourceAddress, _ type: String, _ provider: String) -> [String: Value] {
        TerraformValues.instanceHeader(address, type: type, provider: provider)
    }

    private func body(actions: [String], before: [String: Value]?, after: [String: Value]?,
                      sensitive: [AttributePath]) -> [String: Value] {
        let marks = SensitiveMarks(sensitive)
        return [
            "actions": .list(actions.map(Value.string)),
            "before": before.map { .map(Self.redacted($0, marks)) } ?? .null,
            "after": after.map { .map(Self.redacted($0, marks)) } ?? .null,
            "after_unknown": .map(Self.unknownMask(after ?? [:])),
            "before_sensitive": before == nil ? .bool(false) : .map(marks.mask(before ?? [:])),
            "after_sensitive": after == nil ? .bool(false) : .map(marks.mask(after ?? [:])),
        ]
    }

    /// The attributes with sensitive values (at any depth) and unknown ones as null: values marked sensitive never
    /// appear, their place is flagged in before_sensitive/after_sensitive.
    static func redacted(_ attributes: [String: Value], _ marks: SensitiveMarks) -> [String: Value] {
        marks.redacting(attributes, marker: .null).mapValues { $0 == .unknown ? .null : $0 }
    }

    /// Terraform's `after_unknown` shape: `true` where a value is unknown, objects and arrays where unknown parts
    /// lie deeper (arrays with `false` for known items), nothing for the rest.
    static func unknownMask(_ attributes: [String: Value]) -> [String: Value] {
        attributes.compactMapValues(unknownMask)
    }

    private static func unknownMask(_ value: Value) -> Value? {
        guard value.containsUnknown else { return nil }
        switch value {
        case let .map(entries): return .map(unknownMask(entries))
        case .list, .set: return .list((value.elements ?? []).map { unknownMask($0) ?? .bool(false) })
        default: return .bool(true)
        }
    }

    static func pathValue(_ path: AttributePath) -> Value {
        .list(path.components.map { component in
            switch component {
            case let .key(k): return .string(k)
            case let .index(i): return .number(Number(i))
            }
        })
    }
}
