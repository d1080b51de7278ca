/// What tend reads from Terraform's CLI configuration file (`~/.terraformrc` or `TF_CLI_CONFIG_FILE`): the plugin
/// cache directory and the `provider_installation` methods. Other blocks and attributes are skipped.
///
/// ```hcl
/// plugin_cache_dir = "$HOME/.terraform.d/plugin-cache"
/// provider_installation {
///   filesystem_mirror {
///     path    = "/opt/terraform/providers"
///     include = ["registry.terraform.io/hashicorp/*"]
///   }
///   direct {
///     exclude = ["registry.terraform.io/hashicorp/*"]
///   }
/// }
/// ```
public struct TerraformCLIConfig: Sendable, Hashable {
    /// The file the configuration came from; nil when there was none.
    public var file: String?
    /// `plugin_cache_dir`, with `$NAME` and `${NAME}` replaced from the environment as Terraform does.
    public var pluginCacheDirectory: String?
    /// The methods of the `provider_installation` block in order; nil when the file has no such block, in which
    /// case Terraform (and tend) also search the implied local mirror directories.
    public var providerInstallation: [ProviderInstallationMethod]?

    /// A configuration with nothing set, as when there is no file.
    public init(file: String? = nil, pluginCacheDirectory: String? = nil,
                providerInstallation: [ProviderInstallationMethod]? = nil) {
        self.file = file
        self.pluginCacheDirectory = pluginCacheDirectory
        self.providerInstallation = providerInstallation
    }

    /// The filesystem mirrors of the `provider_installation` block, in order.
    public var filesystemMirrors: [(path: String, method: ProviderInstallationMethod)] {
        (providerInstallation ?? []).compactMap { method in
            if case .filesystemMirror(let path) = method.kind { return (path, method) }
            return nil
        }
    }

    /// Which file Terraform reads: `TF_CLI_CONFIG_FILE` when set and not empty, then the older
    /// `TERRAFORM_CONFIG`, else `HOME/.terraformrc`. A relative path is taken from `workingDirectory`.
    public static func filePath(environment: [String: String], homeDirectory: String,
                                workingDirectory: String) -> String {
        for name in ["TF_CLI_CONFIG_FILE", "TERRAFORM_CONFIG"] {
            if let path = environment[name], !path.isEmpty {
                return InstallationPath.absolute(path, from: workingDirectory)
            }
        }
        return InstallationPath.join(homeDirectory, ".terraformrc")
    }

    /// Reads the file `filePath` names; a missing file is an empty configuration, a malformed one throws
    /// `.invalidCLIConfig` at `FILE:LINE`.
    public static func load(environment: [String: String], homeDirectory: String,
                            workingDirectory: String) throws -> TerraformCLIConfig {
        let path = filePath(environment: environment, homeDirectory: homeDirectory, workingDirectory: workingDirectory)
        guard let bytes = try InstallationFileSystem.readFile(at: path) else { return TerraformCLIConfig() }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw ProviderInstallationError(.invalidCLIConfig, "\(path): not UTF-8 text")
        }
        return try TerraformCLIConfig(parsing: text, file: path, environment: environment)
    }
}
