/// The most a configuration may ask of the loader, so hostile or runaway input ends in a clear error instead of
/// unbounded time or memory. Every limit is reported as `FILE:LINE:COL: error: …` naming the limit; docs/limits.md
/// lists them. The defaults are far above anything a hand-written or generated configuration needs.
public struct ManifestLimits: Sendable, Hashable {
    /// Bytes in one manifest or variables file.
    public var maximumFileBytes: Int
    /// Bytes in all the files of one configuration together.
    public var maximumTotalBytes: Int
    /// UTF-8 bytes in one string (a scalar or a mapping key).
    public var maximumStringBytes: Int
    /// Levels of lists and maps inside one another, counted through aliases. Kept well below the depth the state's
    /// JSON reader accepts (512), so whatever a manifest declares can be stored and read back.
    public var maximumNestingDepth: Int
    /// Nodes that aliases (`*name`) may add to a file when expanded: a few hundred bytes of nested aliases would
    /// otherwise stand for billions of nodes.
    public var maximumAliasExpansion: Int
    /// Instances one resource's `count` or `for_each` may make.
    public var maximumInstancesPerResource: Int
    /// Instances of all resources of one configuration together.
    public var maximumInstances: Int

    public init(maximumFileBytes: Int = 64 << 20, maximumTotalBytes: Int = 256 << 20, maximumStringBytes: Int = 16 << 20,
                maximumNestingDepth: Int = 128, maximumAliasExpansion: Int = 1_000_000,
                maximumInstancesPerResource: Int = 100_000, maximumInstances: Int = 1_000_000) {
        self.maximumFileBytes = maximumFileBytes
        self.maximumTotalBytes = maximumTotalBytes
        self.maximumStringBytes = maximumStringBytes
        self.maximumNestingDepth = maximumNestingDepth
        self.maximumAliasExpansion = maximumAliasExpansion
        self.maximumInstancesPerResource = maximumInstancesPerResource
        self.maximumInstances = maximumInstances
    }

    /// The limits tend runs with.
    public static let standard = ManifestLimits()

    /// `bytes` for a message: "64 MiB" when it is a whole number of MiB, else the byte count.
    static func describe(bytes: Int) -> String {
        bytes >= 1 << 20 && bytes % (1 << 20) == 0 ? "\(bytes >> 20) MiB" : "\(bytes) bytes"
    }
}
