/// An error from finding, locking or hashing installed Terraform provider binaries, with a code and the place in
/// tend's source it was thrown.
public struct ProviderInstallationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong.
    public enum Code: String, Sendable, Hashable {
        /// A provider source address (`hashicorp/aws`) that is not one.
        case invalidSource = "invalid_source"
        /// A version that is not `MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD]`.
        case invalidVersion = "invalid_version"
        /// A version constraint that does not parse.
        case invalidConstraint = "invalid_constraint"
        /// Terraform's CLI configuration file does not parse, or holds a wrong value.
        case invalidCLIConfig = "invalid_cli_config"
        /// No installed provider matches the constraint.
        case notFound = "not_found"
        /// The lock file pins a version that is not installed.
        case lockedVersionNotInstalled = "locked_version_not_installed"
        /// The lock file pins a version the manifest's constraint no longer allows.
        case lockedVersionExcluded = "locked_version_excluded"
        /// The installed binary's hash is not among the hashes the lock file recorded.
        case hashMismatch = "hash_mismatch"
        /// The lock file does not parse or is of a format this tend does not know.
        case invalidLockFile = "invalid_lock_file"
        /// A file-system call failed.
        case io
    }

    /// What went wrong.
    public var code: Code
    /// What happened, in words that name the provider, the file or the text at fault.
    public var message: String
    /// The tend source file that threw it.
    public var file: String
    /// The line in `file` that threw it.
    public var line: Int

    /// Creates an error; `file` and `line` default to the caller's.
    public init(_ code: Code, _ message: String, file: String = #fileID, line: Int = #line) {
        self.code = code
        self.message = message
        self.file = file
        self.line = line
    }

    /// The message.
    public var description: String { message }
}
