import ProviderKit
import TendModel

/// One case of the conformance suite, run step by step; a step that cannot go on ends the case
/// after cleaning up what it created.
struct CaseRun: Sendable {
    let provider: any ResourceProvider
    let context: ProviderContext
    let sample: ConformanceCase

    private var type: String { sample.type }
    private var schema: ResourceSchema? { provider.schema(for: sample.type) }

    func run() async -> [ConformanceFailure] {
        var failures: [ConformanceFailure] = []
        let fail = { (check: ConformanceCheck, message: String) in
            failures.append(ConformanceFailure(type: sample.type, check: check, message: message))
        }
        await checkConfigure(fail)
        await runLifecycle(fail)
        await checkUnknownID(fail)
        await checkInvalidInput(fail)
        return failures
    }

    // MARK: - Lifecycle: create twice, observe, update, delete twice

    private func runLifecycle(_ fail: (ConformanceCheck, String) -> Void) async {
        guard let planned = await attempt(.plan, "plan", fail, { try await provider.plan(type: type, desired: sample.desired, context: context) }) else { return }
        // Listing is optional in the contract; a type that cannot list skips the one-object count below.
        let listedBefore = try? await provider.list(type: type, context: context)
        guard let first = await attempt(.createIsRetrySafe, "create", fail, {
            try await provider.create(type: type, address: sample.address, desired: planned, context: context)
        }) else { return }
        let id = first.id
        // Calls about the object carry the private data its create returned, as the engine hands it back.
        var objectContext = context
        objectContext.privateData = first.privateData
        // A provider that says its creates are not safe to retry is never sent one twice; the check is skipped.
        if provider.createIsRetrySafe, let second = await attempt(.createIsRetrySafe, "second create", fail, {
            try await provider.create(type: type, address: sample.address, desired: planned, context: context)
        }) {
            if second.id != first.id {
                fail(.createIsRetrySafe, "second create returned id \(second.id), first returned \(first.id)")
                await cleanUp(second.id)
            }
            await checkSingleObject(id: first.id, listedBefore: listedBefore, fail)
        }
        expect(planned, declared: sample.desired, in: first.attributes, check: .observeMatchesCreate, what: "create result", fail)
        if let recovered = await attempt(.recoverFindsTheObject, "recover after create", fail, {
            try await provider.recover(type: type, address: sample.address, desired: planned, context: context)
        }), let recovered, recovered.id != first.id {
            fail(.recoverFindsTheObject, "recover after create found id \(recovered.id), create returned \(first.id)")
        }
        guard let observed = await attempt(.observeMatchesCreate, "observe after create", fail, { [objectContext] in
            try await provider.observe(type: type, id: id, prior: first.attributes, context: objectContext)
        }) else { return await cleanUp(id) }
        guard let observed else {
            fail(.observeMatchesCreate, "observe after create found nothing at id \(id)")
            return await cleanUp(id)
        }
        expect(planned, declared: sample.desired, in: observed, check: .observeMatchesCreate, what: "observe after create", fail)
        await checkImport(id: id, observed: observed, fail)
        let updated = await runUpdate(id: id, current: observed, context: objectContext, fail)
        objectContext.privateData = updated?.privateData ?? objectContext.privateData
        await runDelete(id: id, current: updated?.attributes ?? observed, context: objectContext, fail)
    }

    /// Updates to the case's `updated` attributes; returns what observe shows afterwards.
    private func runUpdate(id: String, current: [String: Value], context: ProviderContext,
                           _ fail: (ConformanceCheck, String) -> Void) async -> CreatedObject? {
        let forceNew = (schema?.attributes ?? [:]).filter { $0.value.forceNew }.keys.sorted()
        for key in forceNew where sample.updated[key] != sample.desired[key] {
            fail(.updateApplies, "the case's update changes force_new attribute \(key); that is a replace, not an update")
            return nil
        }
        guard let planned = await attempt(.plan, "plan of the update", fail, { try await provider.plan(type: type, desired: sample.updated, context: context) }),
              let updated = await attempt(.updateApplies, "update", fail, {
                  try await provider.updateObject(type: type, id: id, current: current, desired: planned, context: context)
              })
        else { return nil }
        let result = updated.attributes
        var objectContext = context
        objectContext.privateData = updated.privateData
        expect(planned, declared: sample.updated, in: result, check: .updateApplies, what: "update result", fail)
        guard let observed = await attempt(.updateApplies, "observe after update", fail, { [objectContext] in
            try await provider.observe(type: type, id: id, prior: result, context: objectContext)
        }) else { return nil }
        guard let observed else {
            fail(.updateApplies, "observe after update found nothing at id \(id)")
            return nil
        }
        expect(planned, declared: sample.updated, in: observed, check: .updateApplies, what: "observe after update", fail)
        return CreatedObject(id: id, attributes: observed, privateData: updated.privateData)
    }

    private func runDelete(id: String, current: [String: Value], context: ProviderContext,
                           _ fail: (ConformanceCheck, String) -> Void) async {
        guard await attempt(.deleteRemoves, "delete", fail, { try await provider.delete(type: type, id: id, current: current, context: context) }) != nil else { return }
        if let after = await attempt(.deleteRemoves, "observe after delete", fail, {
            try await provider.observe(type: type, id: id, prior: current, context: context)
        }), after != nil {
            fail(.deleteRemoves, "observe after delete still finds id \(id)")
        }
        _ = await attempt(.deleteOfGoneSucceeds, "delete of an object already gone", fail, {
            try await provider.delete(type: type, id: id, current: current, context: context)
        })
        if let recovered = await attempt(.recoverFindsTheObject, "recover after delete", fail, {
            try await provider.recover(type: type, address: sample.address, desired: sample.desired, context: context)
        }), let recovered {
            fail(.recoverFindsTheObject, "recover after delete still finds id \(recovered.id)")
        }
    }

    // MARK: - Other checks

    private func checkSingleObject(id: String, listedBefore: [String]?, _ fail: (ConformanceCheck, String) -> Void) async {
        // As above: without a listing the count cannot be checked, and the other checks still run.
        guard let listedAfter = try? await provider.list(type: type, context: context) else { return }
        let copies = listedAfter.filter { $0 == id }.count
        if copies != 1 { fail(.createIsRetrySafe, "list shows id \(id) \(copies) times after two creates") }
        if let listedBefore, listedAfter.count - listedBefore.count != 1 {
            fail(.createIsRetrySafe, "two creates added \(listedAfter.count - listedBefore.count) objects; expected 1")
        }
    }

    private func checkConfigure(_ fail: (ConformanceCheck, String) -> Void) async {
        _ = await attempt(.lifecycle, "configure", fail, { try await provider.configure(context: context) })
        guard let fetched = await attempt(.lifecycle, "fetch schemas", fail, { try await provider.fetchSchemas() }) else { return }
        // A provider that serves its schemas on demand (a plugin with hundreds of types) lists none and answers
        // schema(for:) from its index.
        if !fetched.contains(where: { $0.type == type }), !(provider.servesSchemasOnDemand && provider.schema(for: type) != nil) {
            fail(.lifecycle, "the fetched schemas lack \(type)")
        }
    }

    private func checkImport(id: String, observed: [String: Value], _ fail: (ConformanceCheck, String) -> Void) async {
        if let imported = await attempt(.importFindsObject, "import", fail, {
            try await provider.importObject(type: type, id: id, context: context)
        }), imported == nil {
            fail(.importFindsObject, "import of id \(id) found nothing")
        }
        if let missing = await attempt(.importFindsObject, "import of an unknown id", fail, {
            try await provider.importObject(type: type, id: sample.unknownID, context: context)
        }), missing != nil {
            fail(.importFindsObject, "import of unknown id \(sample.unknownID) found an object")
        }
        let version = schema?.version ?? 1
        if let upgraded = await attempt(.importFindsObject, "upgrade from the current version", fail, {
            try await provider.upgrade(type: type, attributes: observed, from: version, context: context)
        }), upgraded != observed {
            fail(.importFindsObject, "upgrading attributes of the current schema version \(version) changed them")
        }
    }

    private func checkUnknownID(_ fail: (ConformanceCheck, String) -> Void) async {
        if let found = await attempt(.observeUnknownIsNil, "observe of an unknown id", fail, {
            try await provider.observe(type: type, id: sample.unknownID, prior: sample.desired, context: context)
        }), found != nil {
            fail(.observeUnknownIsNil, "observe of unknown id \(sample.unknownID) found an object")
        }
    }

    private func checkInvalidInput(_ fail: (ConformanceCheck, String) -> Void) async {
        guard let invalid = sample.invalidDesired else { return }
        do {
            let planned = try await provider.plan(type: type, desired: invalid, context: context)
            let address = ResourceAddress(name: sample.address.name + "_invalid")
            let created = try await provider.create(type: type, address: address, desired: planned, context: context)
            fail(.errorsAreClassified, "invalid input was accepted: plan and create succeeded (id \(created.id))")
            // Cleaning up after a failure already reported; a failed clean-up adds nothing to it.
            try? await provider.delete(type: type, id: created.id, current: created.attributes, context: context)
        } catch let error as ProviderError {
            if error.isTransient { fail(.errorsAreClassified, "invalid input failed as transient, so it would be retried: \(error)") }
        } catch {
            fail(.errorsAreClassified, "invalid input threw \(Swift.type(of: error)), not a ProviderError: \(error)")
        }
    }

    // MARK: - Helpers

    /// Checks every key the user declared, and every planned value known before apply, against `actual`.
    private func expect(_ planned: [String: Value], declared: [String: Value], in actual: [String: Value],
                        check: ConformanceCheck, what: String, _ fail: (ConformanceCheck, String) -> Void) {
        let keys = Set(declared.keys).union(planned.keys).sorted()
        for key in keys {
            guard let expected = planned[key] ?? declared[key] else { continue }
            let attribute = schema?.attributes[key]
            if !AttributeComparison.matches(expected, actual[key], schema: attribute) {
                fail(check, "\(what): \(key) is \(AttributeComparison.show(actual[key], schema: attribute)), expected \(AttributeComparison.show(expected, schema: attribute))")
            }
        }
    }

    /// Runs one provider call; a thrown error becomes a failure of `check` and the result nil.
    private func attempt<T: Sendable>(_ check: ConformanceCheck, _ what: String, _ fail: (ConformanceCheck, String) -> Void,
                                      _ body: () async throws -> T) async -> T? {
        do {
            return try await body()
        } catch {
            fail(check, "\(what) threw: \(error)")
            return nil
        }
    }

    /// Best-effort delete so a failed case leaves nothing behind.
    private func cleanUp(_ id: String) async {
        try? await provider.delete(type: type, id: id, current: [:], context: context)   // best effort, after a reported failure
    }
}
