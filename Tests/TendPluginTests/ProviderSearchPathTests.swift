import Testing
@testable import TendPlugin

@Suite struct ProviderSearchPathTests {
    private static let defaultImplied = [
        "/work/terraform.d/plugins", "/home/u/.terraform.d/plugins", "/home/u/.local/share/terraform/plugins",
        "/usr/local/share/terraform/plugins", "/usr/share/terraform/plugins",
    ]

    @Test func ordersVariableMirrorsCacheThenNothingImpliedWithAnInstallationBlock() throws {
        let config = try TerraformCLIConfig(parsing: """
            plugin_cache_dir = "/from-config-cache"
            provider_installation {
              filesystem_mirror {
                path    = "/mirror"
                include = ["hashicorp/*"]
              }
              direct {}
            }
            """, file: "/home/u/.terraformrc")
        let path = ProviderSearchPath(environment: ["TEND_PLUGIN_DIRS": "/a::rel", "TF_PLUGIN_CACHE_DIR": "/cache"],
                                      homeDirectory: "/home/u", workingDirectory: "/work", cliConfig: config)
        #expect(path.entries.map(\.directory) == ["/a", "/work/rel", "/mirror", "/cache"])
        #expect(path.entries.map(\.origin) == [
            .pluginDirectoriesVariable, .pluginDirectoriesVariable,
            .filesystemMirror(configFile: "/home/u/.terraformrc", line: 3), .pluginCacheVariable,
        ])
        let acme = try ProviderSource(parsing: "acme/thing")
        #expect(path.entries(for: acme).map(\.directory) == ["/a", "/work/rel", "/cache"])
    }

    @Test func addsImpliedMirrorsWithoutAnInstallationBlock() throws {
        let config = try TerraformCLIConfig(parsing: "plugin_cache_dir = \"/cc\"\n", file: "rc")
        let path = ProviderSearchPath(environment: [:], homeDirectory: "/home/u", workingDirectory: "/work",
                                      cliConfig: config)
        #expect(path.entries.map(\.directory) == ["/cc"] + Self.defaultImplied)
        #expect(path.entries.first?.origin == .pluginCacheSetting(configFile: "rc"))
        #expect(path.entries.dropFirst().allSatisfy { $0.origin == .impliedMirror })
    }

    @Test func followsXDGVariables() {
        let directories = ProviderSearchPath.impliedMirrorDirectories(
            environment: ["XDG_DATA_HOME": "/data", "XDG_DATA_DIRS": "/opt/share:relative:/srv"],
            homeDirectory: "/home/u", workingDirectory: "/work")
        #expect(directories == ["/work/terraform.d/plugins", "/home/u/.terraform.d/plugins", "/data/terraform/plugins",
                                "/opt/share/terraform/plugins", "/srv/terraform/plugins"])
    }

    @Test func namesEachDirectoryOnce() {
        let path = ProviderSearchPath(environment: ["TEND_PLUGIN_DIRS": "/home/u/.terraform.d/plugins/",
                                                    "TF_PLUGIN_CACHE_DIR": "/home/u/.terraform.d/plugins"],
                                      homeDirectory: "/home/u", workingDirectory: "/work", cliConfig: TerraformCLIConfig())
        let implied = Self.defaultImplied
        let expected: [String] = [implied[1], implied[0]] + Array(implied[2...])
        #expect(path.entries.map(\.directory) == expected)
        #expect(path.entries.first?.origin == .pluginDirectoriesVariable)
    }

    @Test func loadsTheCLIConfigurationFromTheHomeDirectory() throws {
        let sandbox = try InstallationSandbox()
        try sandbox.write("provider_installation {\n  filesystem_mirror { path = \"m\" }\n}\n", to: ".terraformrc")
        let path = try ProviderSearchPath.load(environment: [:], homeDirectory: sandbox.path, workingDirectory: "/w")
        #expect(path.entries.map(\.directory) == ["/w/m"])
    }
}
