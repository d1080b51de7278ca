import Foundation
import TendModel
import TendState

extension Engine {
    /// What is left of a saved plan whose apply failed or was interrupted part-way (`tend apply --retry-failed`):
    /// the plan's changes that were not carried out, planned again against what exists now, with the plan's own
    /// configuration. The caller holds the lock.
    ///
    /// Refused unless nothing else moved since the plan was made: every apply or destroy run since then failed or
    /// was cancelled (the plan's own attempts), the state serial moved by at most one per attempt, every change
    /// recorded since belongs to those attempts and to an address the plan changes, and the new plan changes only
    /// what the saved plan had left to do, the same way (a replacement whose old object is gone already is a create).
    public func remainder(of plan: Plan, settings: PlanSettings) async throws -> Plan {
        guard plan.hasChanges else { throw retryRefused("the saved plan changes nothing, so nothing of it can have failed") }
        guard let madeAt = plan.createdAt else {
            throw retryRefused("the plan file does not record when it was made (an older tend saved it), so its attempts "
                               + "cannot be told apart from other runs")
        }
        let version: StateVersion?
        let attempts: [RunRecord]
        let recorded: [HistoryEntry]
        let present: Set<ResourceAddress>
        do {
            version = try await state.version()
            attempts = try await state.runs(limit: 0).filter { ($0.kind == "apply" || $0.kind == "destroy") && $0.startedAt >= madeAt }
            recorded = try await state.history(address: nil, limit: 0).filter { $0.serial > plan.serial }
            present = Set(try await state.resourceSummaries().map(\.address)).union(try await state.deposedObjects().map(\.address))
        } catch {
            throw EngineError(.state, Engine.describe(error))
        }
        guard let version else {
            throw retryRefused("the plan has not been applied yet (there is no state); apply it with tend apply FILE")
        }
        guard version.lineage == plan.lineage || plan.lineage == nil else {
            throw retryRefused("the plan was made against another state (lineage \(plan.lineage ?? "none"), now \(version.lineage))")
        }
        guard !attempts.isEmpty, version.serial > plan.serial else {
            throw retryRefused("the plan has not been applied yet (the state is still at serial \(plan.serial)); apply it with tend apply FILE")
        }
        if let done = attempts.first(where: { $0.outcome != "failed" && $0.outcome != "cancelled" }) {
            throw retryRefused("run #\(done.id) (\(done.kind), \(done.outcome ?? "unfinished")) has run since the plan was made "
                               + "(when that was this plan's own retry, the plan is carried out)")
        }
        guard version.serial - plan.serial <= attempts.count else {
            throw retryRefused("the state moved from serial \(plan.serial) to \(version.serial) in \(attempts.count) failed "
                               + "attempt\(attempts.count == 1 ? "" : "s"): something else changed it")
        }
        let original = Dictionary(plan.changes.map { ($0.address, $0) }, uniquingKeysWith: { a, _ in a })
        let attemptIDs = Set(attempts.map(\.id))
        var done: [ResourceAddress: Set<String>] = [:]
        for entry in recorded {
            guard attemptIDs.contains(entry.runID), original[entry.address] != nil || plan.deposed.contains(where: { $0.address == entry.address }) else {
                throw retryRefused("\(entry.address) was changed (\(entry.action)) by run #\(entry.runID), which is not an attempt at this plan")
            }
            done[entry.address, default: []].insert(entry.action)
        }

        // Everything the plan had to do that still has something to point at, planned again.
        let pending = plan.changes.filter { $0.action != .noop }.map(\.address) + plan.pendingCreates + plan.deposed.map(\.address)
        let specified = Set(plan.specs.map(\.address))
        let targets = Set(pending).filter { specified.contains($0) || present.contains($0) }
        guard !targets.isEmpty else { return Plan(changes: [], drift: [], specs: [], lineage: version.lineage, serial: version.serial,
                                                  isDestroy: plan.isDestroy, createdAt: clock(), request: plan.request) }
        let forced = plan.request.replace.compactMap(AddressPattern.init(parsing:))
        let replace = plan.changes.filter { change in
            change.action.isReplace && done[change.address]?.contains("create") != true
                && forced.contains { $0.matches(change.address, type: change.type) }
        }
        let request = PlanRequest(targets: targets.sorted().map(\.description), replace: replace.map(\.address.description))
        var again = try await self.plan(specs: plan.specs, dataSources: plan.dataSources.map(\.spec), settings: settings,
                                        destroy: plan.isDestroy, request: request, outputs: plan.outputSpecs)
        for change in again.changes where change.action != .noop {
            let now = "\(change.address) would now be \(change.action.rawValue)"
            guard let before = original[change.address], before.action != .noop else {
                throw retryRefused("\(now), but the plan left it alone; something changed since the plan was made")
            }
            guard !Engine.isDone(before.action, done[change.address] ?? []) else {
                throw retryRefused("\(now) again, but an attempt already carried out its \(before.action.rawValue); something "
                                   + "changed it since")
            }
            guard Engine.finishes(change.action, of: before.action) else {
                throw retryRefused("\(now), but the plan had \(before.action.rawValue); something changed since the plan was made")
            }
        }
        again.request = plan.request
        return again
    }

    /// Whether `action` planned now carries out what is left of `planned`.
    static func finishes(_ action: ChangeAction, of planned: ChangeAction) -> Bool {
        if action == planned { return true }
        // The old object of a replacement is gone already (or never existed any more): what is left is the create.
        return planned.isReplace && action == .create
    }

    /// Whether the history of the attempts shows `planned` carried out.
    static func isDone(_ planned: ChangeAction, _ actions: Set<String>) -> Bool {
        switch planned {
        case .create, .deleteThenCreate, .createThenDelete: return actions.contains("create")
        case .update: return actions.contains("update")
        case .delete: return actions.contains("delete")
        case .noop: return true
        }
    }

    private func retryRefused(_ why: String) -> EngineError {
        EngineError(.stalePlan, [Diagnostic(.error, "cannot retry the failed part of this plan: \(why)",
                                            detail: "Run tend plan again and apply the new plan.")])
    }
}
