import ProviderKit
import TendDiff
import TendModel

extension Engine {
    /// What refresh learned: observations by address, and problems.
    struct RefreshResult: Sendable {
        var observations: [ResourceAddress: Observation] = [:]
        var diagnostics: [Diagnostic] = []
    }

    /// Reads every recorded object: in bulk per type where the provider can, the rest in parallel (bounded).
    /// Pending creates are looked up with `recover`.
    /// `deposed` names, by address, objects a pending create's lookup must not take for the object it created.
    /// `declared` holds, by address, the attributes each object's configuration declares: what its read must report
    /// as it is now (`ProviderContext.declaredAttributes`); an address without an entry is read whole.
    func refresh(records: [ResourceRecord], desired: [ResourceAddress: [String: Value]],
                 deposed: [ResourceAddress: Set<String>] = [:], declared: [ResourceAddress: Set<String>],
                 settings: PlanSettings) async -> RefreshResult {
        var result = RefreshResult()
        result.observations.reserveCapacity(records.count)
        var remaining: [ResourceRecord] = []
        // Where each type's records are, not copies of them: a plan of 10,000 files keeps its records once.
        var byType: [String: [Int]] = [:]
        var failures: [String: [String]] = [:]   // message → types, so one cause (bad credentials) is one error
        for index in records.indices {
            if records[index].status == .created { byType[records[index].type, default: []].append(index) } else { remaining.append(records[index]) }
        }
        // Every type's bulk read at once: they wait on different APIs (and share the provider's request limit).
        var reads: [TypeJob<[[String: Value]?]?>] = []
        for type in byType.keys.sorted() {
            // A type no provider manages is read one by one below, where it is reported.
            let group = (byType[type] ?? []).lazy.map { records[$0] }
            guard let first = group.first, let provider = registry.provider(forType: type) else {
                remaining += group
                continue
            }
            var typeContext = self.context(for: first.provider, settings: settings)
            // The declared names by object id are worked out beside the list of objects to read.
            let indexes = byType[type] ?? []
            async let declaredByID = Engine.declaredByID(records, at: indexes, declared: declared)
            let objects = indexes.map { BulkObject(id: records[$0].id, prior: records[$0].attributes) }
            typeContext.declaredAttributes = await declaredByID
            let context = typeContext
            reads.append(TypeJob(type: type) { try await retry.run { try await provider.observe(type: type, objects: objects, context: context) } })
        }
        for read in await Engine.runEachType(reads) {
            let group = (byType[read.type] ?? []).lazy.map { records[$0] }
            if let error = read.error as? ProviderError, error.isTransient {
                // A bulk read is all or nothing, so a flaky API fails it far more often than any one object's
                // read: read that type's objects one by one instead, each with its own retries.
                remaining += group
            } else if let error = read.error {
                failures[Engine.describe(error), default: []].append(read.type)
            } else if let objects = read.output ?? nil, objects.count == group.count {
                // In the order asked: the records' own order, without a table by id.
                for (position, index) in (byType[read.type] ?? []).enumerated() {
                    result.observations[records[index].address] = objects[position].map(Observation.present) ?? .absent
                }
            } else {
                remaining += group
            }
        }
        for message in failures.keys.sorted() {
            let types = (failures[message] ?? []).joined(separator: ", ")
            result.diagnostics.append(Diagnostic(.error, "refreshing \(types): \(message)"))
        }
        let individual = await refreshEach(remaining, desired: desired, deposed: deposed, declared: declared, settings: settings)
        result.observations.merge(individual.observations) { a, _ in a }
        result.diagnostics += individual.diagnostics
        return result
    }

    /// Reads objects one by one, at most `refreshParallelism` at once.
    private func refreshEach(_ records: [ResourceRecord], desired: [ResourceAddress: [String: Value]],
                             deposed: [ResourceAddress: Set<String>], declared: [ResourceAddress: Set<String>],
                             settings: PlanSettings) async -> RefreshResult {
        await withTaskGroup(of: (ResourceAddress, Result<Observation, Error>).self) { group in
            var result = RefreshResult()
            var iterator = records.makeIterator()
            var running = 0
            func schedule() {
                guard let record = iterator.next() else { return }
                running += 1
                var recordContext = self.context(for: record.provider, settings: settings)
                recordContext.privateData = record.privateData
                recordContext.declaredAttributes = Engine.declaredByID([record], at: [0], declared: declared)
                let context = recordContext
                let want = desired[record.address] ?? [:]
                let excluded = deposed[record.address] ?? []
                group.addTask {
                    do {
                        let (provider, _) = try resolve(type: record.type, address: record.address)
                        if record.status == .createPending {
                            let found = try await retry.run {
                                try await provider.recover(type: record.type, address: record.address, desired: want, excluding: excluded,
                                                           context: context)
                            }
                            return (record.address, .success(found.map { .present($0.attributes) } ?? .absent))
                        }
                        let attrs = try await retry.run {
                            try await provider.observe(type: record.type, id: record.id, prior: record.attributes, context: context)
                        }
                        return (record.address, .success(attrs.map { .present($0) } ?? .absent))
                    } catch {
                        return (record.address, .failure(error))
                    }
                }
            }
            for _ in 0..<max(1, refreshParallelism) { schedule() }
            while running > 0, let (address, outcome) = await group.next() {
                running -= 1
                switch outcome {
                case let .success(observation): result.observations[address] = observation
                case let .failure(error):
                    result.diagnostics.append(Diagnostic(.error, "refreshing \(address): \(Engine.describe(error))",
                                                         address: address.description))
                }
                schedule()
            }
            return result
        }
    }

    /// Each spec's declared attribute names. Specs of one declaration declare the same names, so equal sets are
    /// handed out as one: a plan of 10,000 instances holds a handful of sets, not 10,000.
    static func declaredAttributeNames(_ specs: AddressIndex<ResourceSpec>) -> [ResourceAddress: Set<String>] {
        var unique: Set<Set<String>> = []
        var names: [ResourceAddress: Set<String>] = [:]
        names.reserveCapacity(specs.elements.count)
        // Instances of one declaration come together and share one array of written names: equal to the last one
        // seen (the same storage compares at once), they take its set without building another.
        var last: (written: [String], names: Set<String>)?
        for index in specs.elements.indices where names[specs.elements[index].address] == nil {
            let written = specs.elements[index].declaredProperties
            if let written, let last, last.written == written {
                names[specs.elements[index].address] = last.names
                continue
            }
            let found = unique.insert(specs.elements[index].declaredAttributeNames).memberAfterInsert
            names[specs.elements[index].address] = found
            if let written { last = (written, found) }
        }
        return names
    }

    /// The declared attributes of the records at `indexes` by object id, for `ProviderContext.declaredAttributes`;
    /// records without an entry in `declared` (no longer declared) have none, so they are read whole.
    static func declaredByID(_ records: [ResourceRecord], at indexes: [Int], declared: [ResourceAddress: Set<String>]) -> [String: Set<String>] {
        var byID: [String: Set<String>] = [:]
        byID.reserveCapacity(indexes.count)
        for index in indexes {
            if let attributes = declared[records[index].address] { byID[records[index].id] = attributes }
        }
        return byID
    }

    /// A user-facing description of any error.
    static func describe(_ error: Error) -> String {
        switch error {
        case let e as ProviderError: return e.description
        case let e as EngineError: return e.description
        default: return String(describing: error)
        }
    }
}
