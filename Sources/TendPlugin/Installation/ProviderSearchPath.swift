/// The directories tend looks in for installed providers, in order, each with where it came from:
///
/// 1. `TEND_PLUGIN_DIRS`, colon-separated;
/// 2. the CLI configuration's `filesystem_mirror` paths, each only for the sources its `include` and `exclude`
///    allow;
/// 3. the plugin cache, `TF_PLUGIN_CACHE_DIR` or else the configuration's `plugin_cache_dir`;
/// 4. only when the CLI configuration has no `provider_installation` block, as with Terraform, the implied local
///    mirrors: `terraform.d/plugins` in the working directory, `~/.terraform.d/plugins`,
///    `$XDG_DATA_HOME/terraform/plugins` (`~/.local/share/terraform/plugins`) and `terraform/plugins` under each
///    of `$XDG_DATA_DIRS` (`/usr/local/share:/usr/share`).
///
/// Relative paths are taken from the working directory; a directory named twice is searched once, at its first
/// place. Whether the directories exist is not checked here.
public struct ProviderSearchPath: Sendable, Hashable {
    /// Why a directory is searched.
    public enum Origin: Sendable, Hashable, CustomStringConvertible {
        /// Named by `TEND_PLUGIN_DIRS`.
        case pluginDirectoriesVariable
        /// A `filesystem_mirror` of the CLI configuration file.
        case filesystemMirror(configFile: String, line: Int)
        /// Named by `TF_PLUGIN_CACHE_DIR`.
        case pluginCacheVariable
        /// The CLI configuration file's `plugin_cache_dir`.
        case pluginCacheSetting(configFile: String)
        /// One of Terraform's implied local mirror directories.
        case impliedMirror

        /// Where the directory came from, for messages: `TEND_PLUGIN_DIRS`, `filesystem_mirror at FILE:LINE`…
        public var description: String {
            switch self {
            case .pluginDirectoriesVariable: return "TEND_PLUGIN_DIRS"
            case .filesystemMirror(let file, let line): return "filesystem_mirror at \(file):\(line)"
            case .pluginCacheVariable: return "TF_PLUGIN_CACHE_DIR"
            case .pluginCacheSetting(let file): return "plugin_cache_dir in \(file)"
            case .impliedMirror: return "implied local mirror"
            }
        }
    }

    /// A directory to search and the sources it may hold.
    public struct Entry: Sendable, Hashable, CustomStringConvertible {
        /// The absolute directory.
        public var directory: String
        /// Why it is searched.
        public var origin: Origin
        /// Sources it is searched for; empty means all.
        public var include: [ProviderSourcePattern]
        /// Sources it is not searched for.
        public var exclude: [ProviderSourcePattern]

        /// Creates an entry for all sources unless patterns say otherwise.
        public init(directory: String, origin: Origin, include: [ProviderSourcePattern] = [],
                    exclude: [ProviderSourcePattern] = []) {
            self.directory = directory
            self.origin = origin
            self.include = include
            self.exclude = exclude
        }

        /// Whether the directory is searched for `source`.
        public func admits(_ source: ProviderSource) -> Bool {
            (include.isEmpty || include.contains { $0.matches(source) }) && !exclude.contains { $0.matches(source) }
        }

        /// `DIRECTORY (ORIGIN)`.
        public var description: String { "\(directory) (\(origin))" }
    }

    /// The directories in search order.
    public var entries: [Entry]

    /// A search path of the given entries, in order.
    public init(entries: [Entry]) {
        self.entries = entries
    }

    /// The entries searched for `source`, in order.
    public func entries(for source: ProviderSource) -> [Entry] {
        entries.filter { $0.admits(source) }
    }
}
