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
    /// member is built only when its turn comes, and each resource of the long lists (changes, planned and prior
    /// values, configuration, drift) on its own, so the whole document never exists in memory at once (a plan of a
    /// few thousand objects is megabytes of JSON).
    func write(_ plan: Plan, chunk: Int = 1 << 16, to emit: ([UInt8]) -> Void) {
        let changes = plan.changes + plan.deposed
        let deferred = plan.deferredReads
        let planned = plan.changes.filter { $0.after != nil && $0.action != .delete }
        let prior = changes.filter { $0.before != nil }
        var members: [(String, Piece)] = [
            ("format_version", .value { .string("1.2") }),
            ("terraform_version", .value { .string(TerraformValues.terraformVersion) }),
            ("tend_version", .value { .string(TendVersion.current) }),
            ("applyable", .value { .bool(plan.hasChanges) }),
            // As Terraform: a targeted plan is not complete, whatever it holds.
            ("complete", .value { .bool(!plan.request.isPartial) }),
            ("errored", .value { .bool(false) }),
            ("planned_values", Self.module(planned.count, { Self.values(planned[$0], after: true) }, outputs: plan.outputs.compactMap { change in
                change.after.map { OutputValue(name: change.name, value: $0, sensitive: change.sensitive) }
            })),
            ("prior_state", .object([
                ("format_version", .value { .string("1.0") }),
                ("terraform_version", .value { .string(TerraformValues.terraformVersion) }),
                ("values", Self.module(prior.count, { Self.values(prior[$0], after: false) }, outputs: plan.outputs.compactMap { change in
                    change.before.map { OutputValue(name: change.name, value: $0, sensitive: change.sensitive) }
                })),
            ])),
            ("configuration", configuration(plan)),
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

        withoutActuallyEscaping(emit) { emit in
            var writer = ChunkWriter(chunk: chunk, emit: emit)
            writer.write(.object(members))
            writer.append("\n")
            writer.finish()
        }
    }

    /// A part of the document, built when it is written: a value, a list built element by element, or an object
    /// whose members are written in sorted key order, as `Value.canonicalJSON` sorts a map's.
    private indirect enum Piece {
        case value(() -> Value)
        case list(Int, (Int) -> Value)
        case object([(String, Piece)])
    }

    /// Canonical JSON into a buffer handed to `emit` whenever it holds `chunk` bytes.
    private struct ChunkWriter {
        let chunk: Int
        let emit: ([UInt8]) -> Void
        var out: [UInt8] = []

        init(chunk: Int, emit: @escaping ([UInt8]) -> Void) {
            self.chunk = chunk
            self.emit = emit
            out.reserveCapacity(chunk + chunk / 4)
        }

        mutating func write(_ piece: Piece) {
            switch piece {
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
            case let .object(members):
                out.append(UInt8(ascii: "{"))
                for (position, member) in members.sorted(by: { $0.0 < $1.0 }).enumerated() {
                    if position > 0 { out.append(UInt8(ascii: ",")) }
                    Value.appendQuoted(member.0, to: &out)
                    out.append(UInt8(ascii: ":"))
                    write(member.1)
                }
                out.append(UInt8(ascii: "}"))
            }
        }

        mutating func append(_ text: String) {
            out.append(contentsOf: text.utf8)
        }

        mutating func finish() {
            emit(out)
            out.removeAll()
        }

        private mutating func flushIfFull() {
            guard out.count >= chunk else { return }
            emit(out)
            out.removeAll(keepingCapacity: true)
        }
    }

    /// Terraform's values representation of a module (`TerraformValues.module`), its resources built one by one.
    private static func module(_ count: Int, _ resource: @escaping (Int) -> Value, outputs: [OutputValue]) -> Piece {
        var members: [(String, Piece)] = [("root_module", .object([("resources", .list(count, resource))]))]
        if !outputs.isEmpty { members.append(("outputs", .value { TerraformOutputs.values(outputs) })) }
        return .object(members)
    }

    /// One instance of `planned_values` (the change's after) or `prior_state` (its before).
    private static func values(_ change: ResourceChange, after: Bool) -> Value {
        TerraformValues.resource(change.address, type: change.type, provider: change.provider,
                                 values: (after ? change.after : change.before) ?? [:],
                                 sensitive: SensitiveMarks(change.sensitivePaths))
    }

    /// The configuration block, with the outputs in its root module when there are any.
    private func configuration(_ plan: Plan) -> Piece {
        let first = TerraformConfiguration.firstInstances(plan.specs)
        var root: [(String, Piece)] = [("resources", .list(first.count) { TerraformConfiguration.resource(first[$0]) })]
        if !plan.outputSpecs.isEmpty { root.append(("outputs", .value { TerraformOutputs.configuration(plan.outputSpecs) })) }
        return .object([
            ("provider_config", .value { TerraformConfiguration.providerConfig(plan.specs) }),
            ("root_module", .object(root)),
        ])
    }

    /// What a partial plan or check was narrowed to: the addresses given to `--target` and `--exclude`.
    static func scope(_ request: PlanRequest) -> Value {
        .map(["targets": .list(request.targets.map(Value.string)), "excludes": .list(request.excludes.map(Value.string))])
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
