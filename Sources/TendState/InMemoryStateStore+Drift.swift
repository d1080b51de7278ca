import Foundation

/// Drift findings and their sightings in memory, as `SQLiteStateStore+Drift` keeps them.
extension InMemoryStateStore {
    public func recordDrift(runID: Int64, findings: [ObservedFinding], scope: Set<String>, at: Date) throws -> DriftRecording {
        try writing { contents in
            var recording = DriftRecording()
            var seen: Set<String> = []
            for observed in findings where seen.insert(observed.key).inserted {
                if let index = contents.findings.firstIndex(where: { $0.isOpen && $0.key == observed.key }) {
                    contents.findings[index].lastSeen = at
                    contents.findings[index].expected = observed.expected
                    contents.findings[index].actual = observed.actual
                    contents.findings[index].context = observed.context
                    recording.stillOpen.append(contents.findings[index])
                    contents.sightings.append(DriftSighting(findingID: contents.findings[index].id, runID: runID, at: at))
                    continue
                }
                let finding = DriftFinding(id: Int64(contents.findings.count + 1), runID: runID, address: observed.address,
                                           type: observed.type, kind: observed.kind, path: observed.path,
                                           expected: observed.expected, actual: observed.actual, firstSeen: at, lastSeen: at,
                                           resolvedAt: nil, resolution: nil, context: observed.context)
                contents.findings.append(finding)
                contents.sightings.append(DriftSighting(findingID: finding.id, runID: runID, at: at))
                recording.opened.append(finding)
            }
            for index in contents.findings.indices {
                let finding = contents.findings[index]
                guard finding.isOpen, !seen.contains(finding.key), SQLiteStateStore.isInScope(finding, scope) else { continue }
                contents.findings[index].resolvedAt = at
                contents.findings[index].resolution = .reverted
                contents.findings[index].resolvedRunID = runID
                recording.resolved.append(contents.findings[index])
            }
            return recording
        }
    }

    public func resolveFindings(address: String?, resolution: DriftResolution, at: Date) throws -> [DriftFinding] {
        try writing { contents in
            var resolved: [DriftFinding] = []
            for index in contents.findings.indices where contents.findings[index].isOpen
                && (address == nil || contents.findings[index].address == address) {
                contents.findings[index].resolvedAt = at
                contents.findings[index].resolution = resolution
                resolved.append(contents.findings[index])
            }
            return resolved
        }
    }

    public func driftFindings(address: String?, since: Date?) throws -> [DriftFinding] {
        withContents { contents in
            contents.findings.filter { finding in
                (address == nil || finding.address == address)
                    && (since.map { finding.lastSeen >= $0 || (finding.resolvedAt ?? .distantFuture) >= $0 } ?? true)
            }
        }
    }

    public func driftSightings(since: Date?) throws -> [DriftSighting] {
        withContents { contents in contents.sightings.filter { sighting in since.map { sighting.at >= $0 } ?? true } }
    }
}
