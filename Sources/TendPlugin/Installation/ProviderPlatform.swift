/// An operating system and CPU architecture in Terraform's spelling, `linux_amd64`, naming the directory a provider
/// binary for that platform lives in.
public struct ProviderPlatform: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// `linux`, `darwin`, `windows`, `freebsd`…
    public var os: String
    /// `amd64`, `arm64`, `386`, `arm`…
    public var arch: String

    /// Creates a platform from Go's names for the system and architecture.
    public init(os: String, arch: String) {
        self.os = os
        self.arch = arch
    }

    /// Parses `OS_ARCH`; nil unless there is exactly one underscore between two non-empty names.
    public init?(parsing text: String) {
        let parts = text.split(separator: "_", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { return nil }
        self.init(os: String(parts[0]), arch: String(parts[1]))
    }

    /// The platform this tend was compiled for.
    public static var current: ProviderPlatform {
        ProviderPlatform(os: currentOS, arch: currentArch)
    }

    private static var currentOS: String {
        #if os(Linux)
        return "linux"
        #elseif os(macOS)
        return "darwin"
        #elseif os(Windows)
        return "windows"
        #elseif os(FreeBSD)
        return "freebsd"
        #elseif os(OpenBSD)
        return "openbsd"
        #else
        return "unknown"
        #endif
    }

    private static var currentArch: String {
        #if arch(x86_64)
        return "amd64"
        #elseif arch(arm64)
        return "arm64"
        #elseif arch(i386)
        return "386"
        #elseif arch(arm)
        return "arm"
        #else
        return "unknown"
        #endif
    }

    /// `OS_ARCH`.
    public var description: String { "\(os)_\(arch)" }

    public static func < (lhs: ProviderPlatform, rhs: ProviderPlatform) -> Bool {
        lhs.description < rhs.description
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let platform = ProviderPlatform(parsing: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                    debugDescription: "not OS_ARCH: \(text)"))
        }
        self = platform
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
