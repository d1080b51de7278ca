import ArgumentParser

/// Options every command that reads a configuration takes.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: "The configuration directory.")
    var dir: String = "."

    @Option(name: .long, help: ArgumentHelp("The state: a SQLite file (default: TEND_STATE, else DIR/.tend/state.db), or "
                + "postgres://USER@HOST:PORT/DB?stack=NAME for a shared PostgreSQL state (password in PGPASSWORD)."))
    var state: String?

    @Option(name: .customLong("state-key-file"), help: ArgumentHelp("The key that encrypts the state's sensitive values "
                + "at rest (default: TEND_STATE_KEY_FILE, else TEND_STATE_KEY): 32 bytes as base64, mode 0600.",
                valueName: "path"))
    var stateKeyFile: String?

    @Option(name: .customLong("var"), help: "Set a variable: NAME=VALUE (repeatable).")
    var variables: [String] = []

    @Option(name: .customLong("var-file"), help: "Read variables from a YAML or JSON file (repeatable).")
    var varFiles: [String] = []

    @Flag(name: .customLong("no-color"), help: "Plain output without colours.")
    var noColor = false

    @Flag(name: .long, help: "Show more detail.")
    var verbose = false

    /// `--var` values split at the first `=`.
    func parsedVariables() throws -> [String: String] {
        var out: [String: String] = [:]
        for item in variables {
            guard let eq = item.firstIndex(of: "="), eq != item.startIndex else {
                throw ValidationError("--var expects NAME=VALUE, got \"\(item)\"")
            }
            out[String(item[..<eq])] = String(item[item.index(after: eq)...])
        }
        return out
    }
}
