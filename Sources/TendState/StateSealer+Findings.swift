import Foundation
import TendModel

/// Drift findings in mode `all`: their expected and actual values (and those of their context) are sealed one by one,
/// bound to the finding's address, kind and path. Sensitive values never reach a finding: they are redacted before.
extension StateSealer {
    /// `finding` with its values sealed in mode `all`, as it is otherwise.
    func seal(_ finding: ObservedFinding) throws -> ObservedFinding {
        guard let key, mode == .all else { return finding }
        var sealed = finding
        let place = [finding.address, finding.kind.rawValue, finding.path]
        sealed.expected = try Self.seal(finding.expected, place + ["expected"], key: key)
        sealed.actual = try Self.seal(finding.actual, place + ["actual"], key: key)
        sealed.context = try Self.seal(finding.context, place, key: key)
        return sealed
    }

    /// A recorded finding with its values sealed in mode `all` (`tend state rekey`), as it is otherwise.
    func seal(_ finding: DriftFinding) throws -> DriftFinding {
        guard let key, mode == .all else { return finding }
        var sealed = finding
        let place = [finding.address, finding.kind.rawValue, finding.path]
        sealed.expected = try Self.seal(finding.expected, place + ["expected"], key: key)
        sealed.actual = try Self.seal(finding.actual, place + ["actual"], key: key)
        sealed.context = try Self.seal(finding.context, place, key: key)
        return sealed
    }

    /// `finding` with every sealed value opened.
    func open(_ finding: DriftFinding) throws -> DriftFinding {
        var opened = finding
        let place = [finding.address, finding.kind.rawValue, finding.path]
        let what = "drift finding \(finding.id) of \(finding.address)"
        opened.expected = try open(finding.expected, place + ["expected"], what: what)
        opened.actual = try open(finding.actual, place + ["actual"], what: what)
        opened.context = try finding.context.map { item in
            var context = item
            context.expected = try open(item.expected, place + ["context", item.path, "expected"], what: what)
            context.actual = try open(item.actual, place + ["context", item.path, "actual"], what: what)
            return context
        }
        return opened
    }

    /// `recording` with every sealed value opened.
    func open(_ recording: DriftRecording) throws -> DriftRecording {
        DriftRecording(opened: try recording.opened.map(open), stillOpen: try recording.stillOpen.map(open),
                       resolved: try recording.resolved.map(open))
    }

    private static func seal(_ value: Value?, _ place: [String], key: StateKey) throws -> Value? {
        guard let value, value != .null, value != .unknown, !isSealed(value) else { return value }
        return try seal(value, key: key, associatedData: findingBinding(place))
    }

    private static func seal(_ context: [FindingContext], _ place: [String], key: StateKey) throws -> [FindingContext] {
        try context.map { item in
            var sealed = item
            sealed.expected = try seal(item.expected, place + ["context", item.path, "expected"], key: key)
            sealed.actual = try seal(item.actual, place + ["context", item.path, "actual"], key: key)
            return sealed
        }
    }

    private func open(_ value: Value?, _ place: [String], what: String) throws -> Value? {
        guard let value, Self.isSealed(value) else { return value }
        return try open(value, associatedData: Self.findingBinding(place), what: what)
    }

    private static func findingBinding(_ place: [String]) -> [UInt8] {
        Array((["tend/state/v1", "finding"] + place).joined(separator: "\u{0}").utf8)
    }
}
