import Foundation
import ProviderKit
import TendConfig
import TendDiff
import TendModel
import TendState

extension Engine {
    /// Refresh-only: observes every managed object and compares it with the last applied state, and lists
    /// each managed type for objects state does not know. Never creates, updates or deletes anything.
    /// Objects the cloud made by itself are counted in `defaults`, not reported as unmanaged, unless
    /// `includeDefaults`.
    ///
    /// A partial check (`request` with targets or exclusions) reads only the resources it covers and lists no type
    /// for unmanaged objects: those are not anyone's target.
    public func detectDrift(specs: [ResourceSpec], settings: PlanSettings, ignore: IgnoreRules,
                            defaultPolicy: DriftPolicy = .report, includeDefaults: Bool = false,
                            request: PlanRequest = PlanRequest()) async throws -> DriftScan {
        var records: [ResourceRecord]
        var specs = specs
        // Worked out beside the state read, as for a plan (Engine.plan); a partial check narrows its specs first.
        let specLookup: Task<SpecLookup, Never>? = request.isPartial ? nil : Task { [specs] in SpecLookup(specs) }
        do {
            records = try await state.resources(sharing: SharedStrings(declaredBy: specs))
            records.removeAll { $0.status != .created }
        } catch {
            throw EngineError(.state, Engine.describe(error))
        }
        FreedMemory.release()
        PhaseProfile.mark("state read: \(records.count) records")
        if request.isPartial {
            let scope = PlanScope(nodes: specs.map { PlanScope.Node(address: $0.address, type: $0.type, dependencies: $0.dependencies) }
                + records.map { PlanScope.Node(address: $0.address, type: $0.type, dependencies: $0.dependencies) })
            let covered = try scope.covered(by: PlanRequest(targets: request.targets, excludes: request.excludes), destroy: false)
            specs.removeAll { !covered.contains($0.address) }
            records.removeAll { !covered.contains($0.address) }
        }
        try await configureProviders(forTypes: Set(specs.map(\.type)).union(records.map(\.type)), settings: settings)
        records = try await upgraded(records, settings: settings)
        PhaseProfile.mark("providers configured")
        let lookup = await specLookup?.value ?? SpecLookup(specs)
        let specsByAddress = lookup.specs
        // Listing for unmanaged objects runs alongside the refresh: both are reads, of different APIs.
        let listedTypes = request.isPartial ? [] : Set(records.map(\.type)).union(specs.map(\.type)).sorted()
        async let listed = listTypes(listedTypes, settings: settings)
        let refreshed = await refresh(records: records, desired: [:], declared: lookup.declaredNames, settings: settings)
        FreedMemory.release()
        PhaseProfile.mark("refreshed")
        guard !refreshed.diagnostics.hasErrors else { throw EngineError(.planFailed, refreshed.diagnostics) }

        var scan = DriftScan(drift: [], unmanaged: [], managedCount: records.count, findings: [], scope: [], policies: [:],
                             warnings: [])
        scan.request = PlanRequest(targets: request.targets, excludes: request.excludes)
        let types = resolvedTypes(Set(records.map(\.type)))
        // Each record is compared on every core, in chunks; the scan is filled in record order on one.
        let chunks = stride(from: 0, to: records.count, by: 512).map { $0..<min($0 + 512, records.count) }
        let compared = ParallelWork.map(chunks) { [records] range in
            range.map { index in
                Engine.compare(records[index], specs: specsByAddress, observations: refreshed.observations, types: types,
                               ignore: ignore, defaultPolicy: defaultPolicy)
            }
        }
        scan.scope.reserveCapacity(records.count)
        for chunk in compared {
            for outcome in chunk {
                guard let outcome else { continue }
                scan.scope.insert(outcome.address)
                guard let change = outcome.change else { continue }
                scan.drift.append(change)
                scan.policies[change.address] = outcome.policy
                scan.findings += Engine.findings(for: change)
            }
        }
        try Engine.addUnmanaged(await listed, records: records, ignore: ignore, includeDefaults: includeDefaults, into: &scan)
        scan.drift.sort { $0.address < $1.address }
        PhaseProfile.mark("compared")
        exitRetainer.keep((records, specsByAddress, refreshed))
        return scan
    }

    /// What comparing one record found: its address (it was in scope), its drift when it drifted (with what is
    /// ignored taken out), and its drift policy.
    struct Compared: Sendable {
        var address: String
        var change: DriftChange?
        var policy: DriftPolicy
    }

    /// Compares one record with what the refresh found; nil when it is out of scope (ignored, or not observed).
    static func compare(_ record: ResourceRecord, specs: AddressIndex<ResourceSpec>, observations: [ResourceAddress: Observation],
                        types: [String: ResolvedType], ignore: IgnoreRules, defaultPolicy: DriftPolicy) -> Compared? {
        // The spec is read where it lies, not copied out for its options and marks.
        let position = specs.position(of: record.address)
        let options = position.map { specs.elements[$0].options } ?? ResourceOptions(drift: defaultPolicy)
        let address = record.address.description
        guard options.drift != .ignore, !ignore.ignores(type: record.type, address: address, id: record.id),
              let observation = observations[record.address],
              let differ = types[record.type]?.differ else { return nil }
        guard var change = differ.drift(address: record.address, provider: record.provider, record: record,
                                        observation: observation, options: options) else {
            return Compared(address: address, change: nil, policy: options.drift)
        }
        let derived = position.map { specs.elements[$0].sensitivePaths } ?? []
        change = change.markingSensitive(record.sensitivePaths + derived, marker: Redaction.marker)
        change.attributes.removeAll { ignore.ignores(address: address, path: $0.path.description) }
        for index in change.attributes.indices {
            change.attributes[index].context.removeAll { ignore.ignores(address: address, path: $0.path.description) }
        }
        if change.kind == .changed && change.attributes.isEmpty { return Compared(address: address, change: nil, policy: options.drift) }
        return Compared(address: address, change: change, policy: options.drift)
    }

    /// One finding per cause: per changed attribute (computed ones that changed with it as its context), or one
    /// for a missing resource; sensitive values redacted.
    static func findings(for change: DriftChange) -> [ObservedFinding] {
        let address = change.address.description
        switch change.kind {
        case .missing:
            return [ObservedFinding(address: address, type: change.type, kind: .missing)]
        case .changed, .unmanaged:
            return change.attributes.map { item in
                ObservedFinding(address: address, type: change.type, kind: .changed, path: item.path.description,
                                expected: redacted(item.expected, item), actual: redacted(item.actual, item),
                                context: item.context.map { context in
                                    FindingContext(path: context.path.description, expected: redacted(context.expected, context),
                                                   actual: redacted(context.actual, context))
                                })
            }
        }
    }

    /// A side of a drifted attribute as findings keep it: the marker when the attribute is sensitive.
    private static func redacted(_ value: Value?, _ item: DriftChange.AttributeDrift) -> Value? {
        item.isSensitive ? value.map { _ in Redaction.marker } : value
    }

    /// Lists every type at once; for each type its objects, nil when its provider cannot list it.
    private func listTypes(_ types: [String], settings: PlanSettings) async -> [TypeOutcome<[ListedObject]?>] {
        await Engine.runEachType(types.compactMap { type in
            guard let provider = registry.provider(forType: type) else { return nil }
            let context = context(for: provider.name, settings: settings)
            return TypeJob(type: type) { try await retry.run { try await provider.listObjects(type: type, context: context) } }
        })
    }

    /// Ids state does not know are unmanaged, unless ignored. The first type (by name) that could not be listed fails the scan.
    private static func addUnmanaged(_ listed: [TypeOutcome<[ListedObject]?>], records: [ResourceRecord], ignore: IgnoreRules,
                                     includeDefaults: Bool, into scan: inout DriftScan) throws {
        // The recorded ids of each listed type, gathered only when some provider listed anything: most types (every
        // local one) list nothing, and 10,000 files would be gathered for no use.
        var known: [String: Set<String>] = [:]
        let listedTypes = Set(listed.filter { ($0.output ?? nil) != nil }.map(\.type))
        for record in records where listedTypes.contains(record.type) { known[record.type, default: []].insert(record.id) }
        for listing in listed {
            if let error = listing.error { throw EngineError(.planFailed, "listing \(listing.type): \(Engine.describe(error))") }
            let type = listing.type
            guard let objects = listing.output ?? nil else {
                scan.unlistedTypes.append(type)
                continue
            }
            scan.scope.insert("unmanaged:\(type)")
            for listed in objects.sorted(by: { $0.id < $1.id }) where !(known[type]?.contains(listed.id) ?? false) {
                let id = listed.id
                let object = DriftScan.Unmanaged(type: type, id: id)
                guard !ignore.ignores(type: type, address: nil, id: id) else { continue }
                if listed.isDefault && !includeDefaults {
                    scan.defaults.append(object)
                    continue
                }
                scan.unmanaged.append(object)
                scan.findings.append(ObservedFinding(address: object.address, type: type, kind: .unmanaged))
            }
        }
    }

    /// Records a scan as a drift run: findings matched to earlier ones, vanished ones resolved as reverted.
    public func record(_ scan: DriftScan, kind: String = "drift") async throws -> (runID: Int64, recording: DriftRecording) {
        do {
            _ = try await state.initialize()
            let runID = try await state.beginRun(kind: kind, at: clock(), actor: actor)
            let recording = try await state.recordDrift(runID: runID, findings: scan.findings, scope: scan.scope, at: clock())
            try await state.finishRun(runID, outcome: scan.hasDrift ? "drift" : "clean",
                                counts: ["managed": scan.managedCount, "changed": scan.changedCount, "missing": scan.missingCount,
                                         "unmanaged": scan.unmanaged.count, "defaults": scan.defaults.count,
                                         "new": recording.opened.count,
                                         "resolved": recording.resolved.count],
                                at: clock())
            return (runID, recording)
        } catch {
            throw EngineError(.state, Engine.describe(error))
        }
    }

    /// Fixes drift of resources whose policy is remediate, through the same plan and apply as `tend apply`
    /// (the caller holds the lock), and resolves their findings as remediated.
    /// `dataSources` are read as `tend apply` reads them, so references to them plan the same values.
    public func remediate(_ scan: DriftScan, specs: [ResourceSpec], dataSources: [DataSourceSpec] = [], settings: PlanSettings,
                          parallelism: Int = 10) async throws -> ApplyResult? {
        let targets = Set(scan.policies.filter { $0.value == .remediate }.keys)
        guard !targets.isEmpty else { return nil }
        var plan = try await plan(specs: specs, dataSources: dataSources, settings: settings)
        // Other resources stay as they are; their values still feed references.
        plan.changes = plan.changes.compactMap { change in
            if targets.contains(change.address) && change.action != .delete { return change }
            guard change.before != nil else { return nil }
            var kept = change
            kept.action = .noop
            kept.after = change.before
            return kept
        }
        guard plan.hasChanges else { return nil }
        let result = try await apply(plan, settings: settings, parallelism: parallelism)
        do {
            for address in result.succeeded.keys.sorted() {
                try await state.resolveFindings(address: address.description, resolution: .remediated, at: clock())
            }
        } catch {
            throw EngineError(.state, "remediation succeeded, but its drift findings could not be resolved: \(Engine.describe(error))")
        }
        return result
    }

    /// Accepts what exists as the new applied state of one resource, in one state transaction: its findings resolve
    /// as accepted. The caller holds the lock (`acceptDrift` takes it). Returns the declared attributes that now
    /// differ from state (the manifest is out of date there).
    public func accept(_ address: ResourceAddress, specs: [ResourceSpec], settings: PlanSettings) async throws -> [AttributePath] {
        let record: ResourceRecord
        do {
            guard let found = try await state.resource(address), found.status == .created else {
                throw EngineError(.state, "no resource \(address) in state")
            }
            record = found
        }
        let (provider, schema) = try resolve(type: record.type, address: address)
        let context = context(for: record.provider, settings: settings)
        guard let observed = try await retry.run({
            try await provider.observe(type: record.type, id: record.id, prior: record.attributes, context: context)
        }) else {
            throw EngineError(.planFailed, "\(address) no longer exists; there is nothing to accept (run tend apply to recreate it, or tend state rm to forget it)")
        }
        let now = clock()
        var accepted = record
        accepted.attributes = observed
        accepted.updatedAt = now
        let values: [ResourceAddress: [String: Value]]
        do {
            try await state.accept(DriftAcceptance(
                record: accepted, before: Redaction.redact(record.attributes, schema: schema, paths: record.sensitivePaths),
                after: Redaction.redact(observed, schema: schema, paths: record.sensitivePaths),
                audit: AuditDraft(who: actor, action: "drift accept", target: address.description, result: "ok", at: now),
                at: now))
            values = try await dependencyValues(of: specs.first { $0.address == address })
        } catch {
            throw EngineError(.state, Engine.describe(error))
        }
        guard let spec = specs.first(where: { $0.address == address }) else { return [] }
        let desired = try await plannedObject(Engine.evaluate(spec, values: values), provider: provider, schema: schema,
                                              context: context).attributes
        return Differ(schema: schema).changedPaths(desired: desired, observed: observed, options: spec.options)
            .filter { desired.value(at: $0)?.containsUnknown != true }
    }

    /// The recorded attributes of what a spec depends on, by address; empty without a spec.
    private func dependencyValues(of spec: ResourceSpec?) async throws -> [ResourceAddress: [String: Value]] {
        var values: [ResourceAddress: [String: Value]] = [:]
        for dependency in spec?.dependencies ?? [] {
            if let found = try await state.resource(dependency) { values[dependency] = found.attributes }
        }
        return values
    }
}
