extension ProviderSearchPath {
    /// The search path for this environment, home and working directory and an already read CLI configuration.
    public init(environment: [String: String], homeDirectory: String, workingDirectory: String,
                cliConfig: TerraformCLIConfig) {
        var entries: [Entry] = []
        var seen: Set<String> = []
        func add(_ path: String, _ origin: Origin, _ method: ProviderInstallationMethod? = nil) {
            guard !path.isEmpty else { return }
            let directory = InstallationPath.absolute(path, from: workingDirectory)
            guard seen.insert(directory).inserted else { return }
            entries.append(Entry(directory: directory, origin: origin, include: method?.include ?? [],
                                 exclude: method?.exclude ?? []))
        }
        for path in (environment["TEND_PLUGIN_DIRS"] ?? "").split(separator: ":") {
            add(String(path), .pluginDirectoriesVariable)
        }
        for mirror in cliConfig.filesystemMirrors {
            add(mirror.path, .filesystemMirror(configFile: cliConfig.file ?? "CLI configuration", line: mirror.method.line),
                mirror.method)
        }
        if let cache = environment["TF_PLUGIN_CACHE_DIR"], !cache.isEmpty {
            add(cache, .pluginCacheVariable)
        } else if let cache = cliConfig.pluginCacheDirectory {
            add(cache, .pluginCacheSetting(configFile: cliConfig.file ?? "CLI configuration"))
        }
        if cliConfig.providerInstallation == nil {
            for directory in Self.impliedMirrorDirectories(environment: environment, homeDirectory: homeDirectory,
                                                           workingDirectory: workingDirectory) {
                add(directory, .impliedMirror)
            }
        }
        self.init(entries: entries)
    }

    /// Reads the CLI configuration (see `TerraformCLIConfig.load`) and builds the search path from it.
    public static func load(environment: [String: String], homeDirectory: String,
                            workingDirectory: String) throws -> ProviderSearchPath {
        let config = try TerraformCLIConfig.load(environment: environment, homeDirectory: homeDirectory,
                                                 workingDirectory: workingDirectory)
        return ProviderSearchPath(environment: environment, homeDirectory: homeDirectory,
                                  workingDirectory: workingDirectory, cliConfig: config)
    }

    /// Terraform's implied local mirror directories on Unix, in its order. XDG variables that are unset, empty or
    /// relative fall back to their defaults, as the XDG specification says.
    public static func impliedMirrorDirectories(environment: [String: String], homeDirectory: String,
                                                workingDirectory: String) -> [String] {
        var directories = [
            InstallationPath.join(workingDirectory, "terraform.d", "plugins"),
            InstallationPath.join(homeDirectory, ".terraform.d", "plugins"),
        ]
        var dataHome = environment["XDG_DATA_HOME"] ?? ""
        if !dataHome.hasPrefix("/") { dataHome = InstallationPath.join(homeDirectory, ".local", "share") }
        directories.append(InstallationPath.join(dataHome, "terraform", "plugins"))
        var dataDirectories = (environment["XDG_DATA_DIRS"] ?? "").split(separator: ":").map(String.init)
            .filter { $0.hasPrefix("/") }
        if dataDirectories.isEmpty { dataDirectories = ["/usr/local/share", "/usr/share"] }
        for directory in dataDirectories {
            directories.append(InstallationPath.join(directory, "terraform", "plugins"))
        }
        return directories
    }
}
