import Foundation
import ProviderKit
import TendModel

/// Finds credentials the way the AWS CLI does, in order: the provider block (`access_key`,
/// `secret_key`, `token`), then `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY`/`AWS_SESSION_TOKEN`,
/// then a profile (block `profile`, else `AWS_PROFILE`, else `default`) in the shared credentials
/// file (`AWS_SHARED_CREDENTIALS_FILE`, else `~/.aws/credentials`).
///
/// Every input is passed in; nothing reads the process environment or the real home directory.
public enum AWSCredentialResolver {
    /// The first complete set of credentials; throws `invalidInput` for half a pair, a named
    /// profile that is missing, or when no source has any.
    public static func resolve(block: [String: Value], environment: [String: String],
                               homeDirectory: String?) throws -> AWSCredentials {
        if let credentials = try fromBlock(block) { return credentials }
        if let credentials = try fromEnvironment(environment) { return credentials }
        if let credentials = try fromSharedFile(block: block, environment: environment, homeDirectory: homeDirectory) {
            return credentials
        }
        throw ProviderError(.invalidInput, "no AWS credentials found: set access_key and secret_key in the provider block, "
            + "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or a profile in ~/.aws/credentials")
    }

    /// A string setting of the provider block; nil when absent or null, `invalidInput` when not a string.
    static func string(_ name: String, in block: [String: Value]) throws -> String? {
        switch block[name] {
        case nil, .null?: return nil
        case let .string(text)?: return text.isEmpty ? nil : text
        case let other?: throw ProviderError(.invalidInput, "provider aws: \(name) must be a string, not a \(other.kindName)")
        }
    }

    private static func fromBlock(_ block: [String: Value]) throws -> AWSCredentials? {
        let key = try string("access_key", in: block)
        let secret = try string("secret_key", in: block)
        switch (key, secret) {
        case let (key?, secret?):
            return AWSCredentials(accessKeyID: key, secretAccessKey: secret, sessionToken: try string("token", in: block),
                                  source: .providerBlock)
        case (nil, nil):
            return nil
        default:
            throw ProviderError(.invalidInput, "provider aws: access_key and secret_key must be set together")
        }
    }

    private static func fromEnvironment(_ environment: [String: String]) throws -> AWSCredentials? {
        let key = environment["AWS_ACCESS_KEY_ID"].flatMap { $0.isEmpty ? nil : $0 }
        let secret = environment["AWS_SECRET_ACCESS_KEY"].flatMap { $0.isEmpty ? nil : $0 }
        switch (key, secret) {
        case let (key?, secret?):
            let token = environment["AWS_SESSION_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
            return AWSCredentials(accessKeyID: key, secretAccessKey: secret, sessionToken: token, source: .environment)
        case (nil, nil):
            return nil
        default:
            throw ProviderError(.invalidInput, "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must be set together")
        }
    }

    private static func fromSharedFile(block: [String: Value], environment: [String: String],
                                       homeDirectory: String?) throws -> AWSCredentials? {
        let namedProfile = try string("profile", in: block) ?? environment["AWS_PROFILE"].flatMap { $0.isEmpty ? nil : $0 }
        let profile = namedProfile ?? "default"
        guard let path = credentialsPath(environment: environment, homeDirectory: homeDirectory),
              let data = FileManager.default.contents(atPath: path) else {
            if namedProfile != nil {
                throw ProviderError(.invalidInput, "AWS profile \"\(profile)\" named, but no shared credentials file was found")
            }
            return nil
        }
        let file = SharedCredentialsFile(parsing: String(decoding: data, as: UTF8.self))
        guard let section = file.sections[profile] else {
            if namedProfile != nil { throw ProviderError(.invalidInput, "no profile \"\(profile)\" in \(path)") }
            return nil
        }
        guard let key = section["aws_access_key_id"], !key.isEmpty,
              let secret = section["aws_secret_access_key"], !secret.isEmpty else {
            throw ProviderError(.invalidInput, "profile \"\(profile)\" in \(path) needs aws_access_key_id and aws_secret_access_key")
        }
        let token = section["aws_session_token"].flatMap { $0.isEmpty ? nil : $0 }
        return AWSCredentials(accessKeyID: key, secretAccessKey: secret, sessionToken: token,
                              source: .sharedCredentialsFile(path: path, profile: profile))
    }

    /// `AWS_SHARED_CREDENTIALS_FILE` (a leading `~/` is the home directory), else `<home>/.aws/credentials`.
    static func credentialsPath(environment: [String: String], homeDirectory: String?) -> String? {
        if let path = environment["AWS_SHARED_CREDENTIALS_FILE"], !path.isEmpty {
            if path.hasPrefix("~/"), let home = homeDirectory { return home + path.dropFirst() }
            return path
        }
        return homeDirectory.map { ($0.hasSuffix("/") ? String($0.dropLast()) : $0) + "/.aws/credentials" }
    }
}
