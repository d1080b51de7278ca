import Testing
@testable import TendPlugin

@Suite struct TerraformCLIConfigTests {
    static let full = """
        # Terraform CLI configuration
        plugin_cache_dir = "$HOME/.terraform.d/plugin-cache" // trailing comment
        disable_checkpoint = true
        credentials "app.terraform.io" {
          token = "xxxxxx.atlasv1.zzzzzzzzzzzzz"
        }
        host "example.com" {
          services = {
            "providers.v1" = "https://example.com/providers/v1/",
          }
        }
        /* a block comment
           over lines { not a block } */
        provider_installation {
          filesystem_mirror {
            path    = "/opt/terraform/providers"
            include = ["registry.terraform.io/hashicorp/*", "acme/thing"]
          }
          network_mirror { url = "https://mirror.example.com/" }
          dev_overrides {
            "hashicorp/null" = "/home/dev/null"
          }
          direct {
            exclude = [
              "registry.terraform.io/hashicorp/*",
            ]
          }
        }
        """

    @Test func readsCacheDirectoryAndInstallationMethods() throws {
        let config = try TerraformCLIConfig(parsing: Self.full, file: "rc", environment: ["HOME": "/home/u"])
        #expect(config.pluginCacheDirectory == "/home/u/.terraform.d/plugin-cache")
        let methods = try #require(config.providerInstallation)
        #expect(methods.count == 3)
        #expect(methods[0].kind == .filesystemMirror(path: "/opt/terraform/providers"))
        #expect(methods[0].include.map(\.description) == ["registry.terraform.io/hashicorp/*",
                                                           "registry.terraform.io/acme/thing"])
        #expect(methods[0].line == 15)
        #expect(methods[1].kind == .networkMirror(url: "https://mirror.example.com/"))
        #expect(methods[2].kind == .direct)
        #expect(methods[2].exclude.map(\.description) == ["registry.terraform.io/hashicorp/*"])
        #expect(config.filesystemMirrors.map(\.path) == ["/opt/terraform/providers"])
    }

    @Test func readsAttributesSharingALineAsHCL1Does() throws {
        let text = "provider_installation { filesystem_mirror { path = \"/m\" include = [\"acme/*\"] } }\n"
        let config = try TerraformCLIConfig(parsing: text, file: "rc")
        let method = try #require(config.providerInstallation?.first)
        #expect(method.kind == .filesystemMirror(path: "/m"))
        #expect(method.include.map(\.description) == ["registry.terraform.io/acme/*"])
    }

    @Test func skipsExpressionsItDoesNotNeed() throws {
        let text = "disable_checkpoint_signature = 1 + 2\nplugin_cache_dir = \"/c\"\n"
        #expect(try TerraformCLIConfig(parsing: text, file: "rc").pluginCacheDirectory == "/c")
    }

    @Test func noInstallationBlockIsNil() throws {
        let config = try TerraformCLIConfig(parsing: "plugin_cache_dir = \"/c\"\n", file: "rc")
        #expect(config.providerInstallation == nil)
        #expect(config.pluginCacheDirectory == "/c")
    }

    @Test(arguments: [
        ("provider_installation {\n  filesystem_mirror {\n    path = 42\n  }\n}\n", 3, "path must be a string"),
        ("plugin_cache_dir = \"/x\n", 1, "not closed"),
        ("a = 1\n/* open\n\n", 2, "comment is not closed"),
        ("provider_installation {\n  direct {\n}\n", 1, "not closed"),
        ("provider_installation {\n  filesystem_mirror {\n  }\n}\n", 2, "needs a \"path\""),
        ("provider_installation {\n  direct {\n    exclude = \"x\"\n  }\n}\n", 3, "must be a list of strings"),
        ("provider_installation {\n  direct {\n    exclude = [\"*/aws\"]\n  }\n}\n", 3, "needs a \"*\" type"),
        ("provider_installation {}\nprovider_installation {}\n", 2, "only one provider_installation"),
        ("= 3\n", 1, "expected an attribute or a block"),
    ])
    func reportsFileAndLine(text: String, line: Int, fragment: String) {
        #expect {
            try TerraformCLIConfig(parsing: text, file: "/etc/tfrc")
        } throws: { error in
            guard let error = error as? ProviderInstallationError else { return false }
            return error.code == .invalidCLIConfig && error.message.hasPrefix("/etc/tfrc:\(line): ")
                && error.message.contains(fragment)
        }
    }

    @Test func choosesTheFileFromTheEnvironment() {
        #expect(TerraformCLIConfig.filePath(environment: [:], homeDirectory: "/home/u", workingDirectory: "/w")
                == "/home/u/.terraformrc")
        #expect(TerraformCLIConfig.filePath(environment: ["TF_CLI_CONFIG_FILE": "conf/rc"], homeDirectory: "/home/u",
                                            workingDirectory: "/w") == "/w/conf/rc")
        #expect(TerraformCLIConfig.filePath(environment: ["TF_CLI_CONFIG_FILE": ""], homeDirectory: "/home/u",
                                            workingDirectory: "/w") == "/home/u/.terraformrc")
    }

    @Test func missingFileIsAnEmptyConfiguration() throws {
        let sandbox = try InstallationSandbox()
        let config = try TerraformCLIConfig.load(environment: [:], homeDirectory: sandbox.path,
                                                 workingDirectory: sandbox.path)
        #expect(config == TerraformCLIConfig())
    }

    @Test func loadsTheFileNamedByTheEnvironment() throws {
        let sandbox = try InstallationSandbox()
        let file = try sandbox.write("plugin_cache_dir = \"${CACHE}/x\"\n", to: "custom.tfrc")
        let config = try TerraformCLIConfig.load(environment: ["TF_CLI_CONFIG_FILE": file, "CACHE": "/c"],
                                                 homeDirectory: "/nowhere", workingDirectory: "/")
        #expect(config.file == file)
        #expect(config.pluginCacheDirectory == "/c/x")
    }
}
