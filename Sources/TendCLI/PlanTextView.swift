import TendModel

/// The human plan: drift first, then planned changes with attribute-level before → after, then a summary line.
struct PlanTextView {
    let palette: Palette

    func render(_ plan: Plan) -> String {
        var out = warnings(plan)
        if !plan.drift.isEmpty {
            out += palette.bold("Changes made outside tend since the last apply:") + "\n\n"
            for drift in plan.drift { out += render(drift) }
            out += "\n"
        }
        let visible = plan.changes.filter { $0.action != .noop } + plan.deposed
        for address in plan.pendingCreates {
            out += "  " + palette.yellow("!") + " \(address): a create was interrupted; apply looks for its object first "
                + "(adopting it, or forgetting the intent when there is none)\n"
        }
        if !plan.pendingCreates.isEmpty { out += "\n" }
        let reads = plan.deferredReads
        let outputs = outputLines(plan.outputs)
        guard !visible.isEmpty || !reads.isEmpty else {
            if !plan.pendingCreates.isEmpty {
                out += palette.bold("No changes to objects.") + " Apply settles the interrupted creates in state.\n"
                return out + outputs
            }
            if !outputs.isEmpty {
                out += palette.bold("No changes to objects.") + " Apply records the new output values.\n" + outputs
                return out
            }
            out += palette.bold("No changes.") + (plan.request.refresh ? " What exists matches the configuration.\n"
                                                                         : " The recorded state matches the configuration.\n")
            return out
        }
        out += palette.bold("tend will perform these actions:") + "\n\n"
        for read in reads {
            // Data sources read at plan time need no line: their values are in the changes below.
            out += "  " + palette.cyan("<=") + " \(read.spec.address) (\(read.spec.type)) will be read during apply"
            if let reason = read.deferralReason { out += " (\(reason))" }
            out += "\n"
        }
        for change in visible { out += render(change) }
        let (add, change, destroy) = plan.summary
        out += "\n" + palette.bold("Plan:") + " \(add) to add, \(change) to change, \(destroy) to destroy.\n"
        return out + outputs
    }

    /// `+ name = after`, `- name = before` or `~ name = before → after`.
    private func outputLine(_ change: OutputChange, name: String) -> String {
        let action = change.action
        let before = ValueFormatter.format(change.before, sensitive: change.sensitive)
        let after = ValueFormatter.format(change.after, sensitive: change.sensitive)
        if action == .create { return "  " + palette.green("+") + " \(name) = \(after)\n" }
        if action == .delete { return "  " + palette.red("-") + " \(name) = \(before)\n" }
        return "  " + palette.yellow("~") + " \(name) = \(before) → \(after)\n"
    }

    /// `Changes to Outputs:` with one line per output that changes; empty when none does.
    private func outputLines(_ changes: [OutputChange]) -> String {
        let changed = changes.filter { $0.action != .noop }
        guard !changed.isEmpty else { return "" }
        let width = changed.map(\.name.count).max() ?? 0
        var out = "\n" + palette.bold("Changes to Outputs:") + "\n"
        for change in changed {
            out += outputLine(change, name: change.name.padding(toLength: width, withPad: " ", startingAt: 0))
        }
        return out
    }

    /// What the reader must know before trusting the plan: it is partial, it did not refresh, or planning noticed
    /// something that did not stop it.
    func warnings(_ plan: Plan) -> String {
        var out = ""
        let warning = palette.yellow("Warning:")
        if plan.request.isPartial {
            out += "\(warning) this plan is partial (\(plan.request.scopeFlags)): resources outside it are neither read nor "
                + "changed, so it may not be everything the configuration needs. Run tend plan without --target and "
                + "--exclude to see the rest.\n"
        }
        if !plan.request.refresh {
            out += "\(warning) not refreshed (--refresh=false): planned against the recorded state; changes made outside "
                + "tend since the last apply are not seen.\n"
        }
        for diagnostic in plan.warnings { out += "\(warning) \(diagnostic.headline)\n" }
        return out.isEmpty ? out : out + "\n"
    }

    private func render(_ drift: DriftChange) -> String {
        switch drift.kind {
        case .missing:
            return "  " + palette.red("-") + " \(drift.address) (\(drift.type)) was deleted outside tend\n"
        case .changed, .unmanaged:
            var out = "  " + palette.yellow("~") + " \(drift.address) (\(drift.type)) was changed outside tend\n"
            let marks = drift.sensitiveMarks
            let text = ChangeText(palette: palette)
            for item in drift.attributes {
                out += text.render(item, marks: marks, indent: "      ")
            }
            return out
        }
    }

    private func render(_ change: ResourceChange) -> String {
        let sensitive = change.sensitiveMarks
        var out = "  "
        switch change.action {
        case .create:
            out += palette.green("+") + " \(change.address) (\(change.type)) will be created"
        case .update:
            out += palette.yellow("~") + " \(change.address) (\(change.type)) will be updated in place"
        case .deleteThenCreate:
            out += palette.red("-") + "/" + palette.green("+") + " \(change.address) (\(change.type)) must be replaced"
        case .createThenDelete:
            out += palette.green("+") + "/" + palette.red("-") + " \(change.address) (\(change.type)) must be replaced (create before destroy)"
        case .delete where change.deposedID != nil:
            out += palette.red("-") + " \(change.address) (\(change.type)) deposed object \(change.deposedID ?? "") will be destroyed"
        case .delete:
            out += palette.red("-") + " \(change.address) (\(change.type)) will be destroyed"
        case .noop:
            return ""
        }
        if let reason = change.reason { out += " (\(reason))" }
        out += "\n"
        switch change.action {
        case .create:
            out += attributeLines(change.after ?? [:], symbol: palette.green("+"), sensitive: sensitive)
        case .delete:
            break
        default:
            let width = change.changedPaths.map { $0.description.count }.max() ?? 0
            let text = ChangeText(palette: palette)
            for path in change.changedPaths {
                let name = path.description.padding(toLength: width, withPad: " ", startingAt: 0)
                out += text.render(label: palette.yellow("~") + " \(name) =", before: Self.lookup(change.before, path),
                                   after: Self.lookup(change.after, path), at: path, marks: sensitive, indent: "      ",
                                   suffix: change.replacePaths.contains(path) ? palette.red(" # forces replacement") : "")
            }
        }
        return out
    }

    private func attributeLines(_ attributes: [String: Value], symbol: String, sensitive: SensitiveMarks) -> String {
        let keys = attributes.keys.sorted().filter { attributes[$0] != .null }
        let width = keys.map(\.count).max() ?? 0
        return keys.map { key in
            let name = key.padding(toLength: width, withPad: " ", startingAt: 0)
            return "      \(symbol) \(name) = \(ValueFormatter.format(attributes[key], at: AttributePath([.key(key)]), marks: sensitive))\n"
        }.joined()
    }

    static func lookup(_ attributes: [String: Value]?, _ path: AttributePath) -> Value? {
        guard let attributes, let root = path.root, let top = attributes[root] else { return nil }
        return top.value(at: AttributePath(Array(path.components.dropFirst())))
    }
}
