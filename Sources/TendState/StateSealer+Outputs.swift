import TendModel

/// Outputs at rest: a sensitive output's value (every output's, in mode `all`) sealed like a record's sensitive
/// value, bound to the output's name.
extension StateSealer {
    func seal(_ output: OutputValue) throws -> OutputValue {
        guard let key, output.sensitive || mode == .all, output.value != .null, !Self.isSealed(output.value) else { return output }
        var sealed = output
        sealed.value = try Self.seal(output.value, key: key, associatedData: Self.binding(output))
        return sealed
    }

    /// `output` with a sealed value opened; a value written before the state was encrypted as it is.
    func open(_ output: OutputValue) throws -> OutputValue {
        guard Self.isSealed(output.value) else { return output }
        var opened = output
        opened.value = try open(output.value, associatedData: Self.binding(output), what: "output \(output.name)")
        return opened
    }

    private static func binding(_ output: OutputValue) -> [UInt8] {
        Array("tend/state/v1\u{0}output\u{0}\(output.name)".utf8)
    }
}
