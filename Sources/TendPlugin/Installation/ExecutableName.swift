/// A file name of the unpacked layout, `terraform-provider-TYPE[_vVERSION][_xN]`.
struct ExecutableName: Sendable, Hashable {
    /// N of `_xN`, the plugin protocol's major version; nil when the name does not say.
    var protocolVersion: Int?

    /// Parses `name` for `source`'s type; nil when it is some other file (`terraform-provider-awscc`, `LICENSE`).
    init?(_ name: String, source: ProviderSource) {
        guard name.hasPrefix(source.executablePrefix) else { return nil }
        let rest = name.dropFirst(source.executablePrefix.count)
        if rest.isEmpty { return }
        guard rest.first == "_" else { return nil }
        var sawVersion = false
        for part in rest.dropFirst().split(separator: "_", omittingEmptySubsequences: false) {
            let number = part.dropFirst()
            // A part that is no version makes the name some other file's, not an error.
            let isVersion = (try? ProviderVersion(parsing: String(part))) != nil
            if part.hasPrefix("v"), !sawVersion, protocolVersion == nil, isVersion {
                sawVersion = true
            } else if part.hasPrefix("x"), protocolVersion == nil, number.allSatisfy({ ("0"..."9").contains($0) }),
                      let major = Int(number), major > 0 {
                protocolVersion = major
            } else {
                return nil
            }
        }
    }
}
