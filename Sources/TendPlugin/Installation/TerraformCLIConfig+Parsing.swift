extension TerraformCLIConfig {
    /// Parses configuration text; `file` names it in errors (`FILE:LINE: …`) and `environment` fills in
    /// `plugin_cache_dir`'s variables.
    public init(parsing text: String, file: String, environment: [String: String] = [:]) throws {
        var parser = try CLIConfigParser(text: text, file: file)
        let body = try parser.parseFile()
        self.init(file: file)
        if let attribute = body.attributes.last(where: { $0.name == "plugin_cache_dir" }) {
            let path = try Self.string(attribute, file: file)
            pluginCacheDirectory = path.isEmpty ? nil : Self.expandVariables(in: path, environment: environment)
        }
        let blocks = body.blocks.filter { $0.type == "provider_installation" }
        if blocks.count > 1 {
            throw ProviderInstallationError(.invalidCLIConfig,
                "\(file):\(blocks[1].line): only one provider_installation block is allowed (the first is on line \(blocks[0].line))")
        }
        if let block = blocks.first {
            providerInstallation = try block.body.blocks.compactMap { try Self.method($0, file: file) }
        }
    }

    /// A method block inside `provider_installation`; nil for blocks tend does not know (`dev_overrides`…).
    private static func method(_ block: CLIConfigBlock, file: String) throws -> ProviderInstallationMethod? {
        let kind: ProviderInstallationMethod.Kind
        switch block.type {
        case "filesystem_mirror":
            kind = .filesystemMirror(path: try requiredString("path", in: block, file: file))
        case "network_mirror":
            kind = .networkMirror(url: try requiredString("url", in: block, file: file))
        case "direct":
            kind = .direct
        default:
            return nil
        }
        return ProviderInstallationMethod(kind: kind, include: try patterns("include", in: block, file: file),
                                          exclude: try patterns("exclude", in: block, file: file), line: block.line)
    }

    private static func requiredString(_ name: String, in block: CLIConfigBlock, file: String) throws -> String {
        guard let attribute = block.body.attributes.last(where: { $0.name == name }) else {
            throw ProviderInstallationError(.invalidCLIConfig,
                "\(file):\(block.line): \(block.type) needs a \"\(name)\" attribute")
        }
        let text = try string(attribute, file: file)
        if text.isEmpty {
            throw ProviderInstallationError(.invalidCLIConfig, "\(file):\(attribute.line): \(name) is empty")
        }
        return text
    }

    private static func patterns(_ name: String, in block: CLIConfigBlock, file: String) throws -> [ProviderSourcePattern] {
        guard let attribute = block.body.attributes.last(where: { $0.name == name }) else { return [] }
        guard case .list(let items) = attribute.value else {
            throw ProviderInstallationError(.invalidCLIConfig,
                "\(file):\(attribute.line): \(name) must be a list of strings, not \(describe(attribute.value))")
        }
        return try items.map { item in
            guard case .string(let text) = item else {
                throw ProviderInstallationError(.invalidCLIConfig,
                    "\(file):\(attribute.line): \(name) must be a list of strings, but holds \(describe(item))")
            }
            do {
                return try ProviderSourcePattern(parsing: text)
            } catch let error as ProviderInstallationError {
                throw ProviderInstallationError(.invalidCLIConfig, "\(file):\(attribute.line): \(error.message)")
            }
        }
    }

    private static func string(_ attribute: CLIConfigAttribute, file: String) throws -> String {
        guard case .string(let text) = attribute.value else {
            throw ProviderInstallationError(.invalidCLIConfig,
                "\(file):\(attribute.line): \(attribute.name) must be a string, not \(describe(attribute.value))")
        }
        return text
    }

    private static func describe(_ value: CLIConfigValue) -> String {
        switch value {
        case .string: return "a string"
        case .list: return "a list"
        case .other(let word): return word
        }
    }

    /// `$NAME` and `${NAME}` replaced by the variable's value, or nothing when unset, like Go's `os.ExpandEnv`.
    static func expandVariables(in text: String, environment: [String: String]) -> String {
        var result = ""
        var rest = Substring(text)
        while let dollar = rest.firstIndex(of: "$") {
            result += rest[..<dollar]
            rest = rest[rest.index(after: dollar)...]
            let name: Substring
            if rest.first == "{", let close = rest.firstIndex(of: "}") {
                name = rest[rest.index(after: rest.startIndex)..<close]
                rest = rest[rest.index(after: close)...]
            } else {
                let end = rest.firstIndex { !($0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_")) } ?? rest.endIndex
                name = rest[..<end]
                rest = rest[end...]
                if name.isEmpty {
                    result += "$"
                    continue
                }
            }
            result += environment[String(name)] ?? ""
        }
        return result + rest
    }
}
