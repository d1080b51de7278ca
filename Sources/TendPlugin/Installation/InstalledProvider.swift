/// A provider binary found in the unpacked mirror layout, ready to run:
/// `DIR/HOST/NAMESPACE/TYPE/VERSION/OS_ARCH/terraform-provider-TYPE[_vVERSION][_xN]`.
public struct InstalledProvider: Sendable, Hashable, CustomStringConvertible {
    /// The provider.
    public var source: ProviderSource
    /// The version, from the layout's `VERSION` directory.
    public var version: ProviderVersion
    /// The platform, from the layout's `OS_ARCH` directory.
    public var platform: ProviderPlatform
    /// The executable, under the search directory (symlinks not resolved).
    public var executablePath: String
    /// The plugin protocol major version the file name promises (`_x5` is 5); nil when the name does not say, and
    /// the handshake must.
    public var protocolVersion: Int?
    /// The search path entry it was found under.
    public var foundIn: ProviderSearchPath.Entry

    /// Creates a record of an installed provider.
    public init(source: ProviderSource, version: ProviderVersion, platform: ProviderPlatform, executablePath: String,
                protocolVersion: Int?, foundIn: ProviderSearchPath.Entry) {
        self.source = source
        self.version = version
        self.platform = platform
        self.executablePath = executablePath
        self.protocolVersion = protocolVersion
        self.foundIn = foundIn
    }

    /// `SOURCE VERSION at PATH`.
    public var description: String { "\(source) \(version) at \(executablePath)" }
}
