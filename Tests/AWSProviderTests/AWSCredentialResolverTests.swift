import AWSProvider
import Foundation
import ProviderKit
import TendModel
import Testing

/// The credential chain's order, its errors, region and endpoint, and that secrets stay hidden.
@Suite struct AWSCredentialResolverTests {
    private let fileText = """
        # shared credentials
        [default]
        aws_access_key_id = AKIAFILEDEFAULT
        aws_secret_access_key = file/default/SECRET

        [staging]
        aws_access_key_id=AKIAFILESTAGING
        aws_secret_access_key =  file/staging/SECRET
        ; temporary
        aws_session_token = FILETOKEN

        [broken]
        aws_access_key_id = AKIABROKEN
        """
    private let environment = ["AWS_ACCESS_KEY_ID": "AKIAENVIRONMENT", "AWS_SECRET_ACCESS_KEY": "env/SECRET",
                               "AWS_SESSION_TOKEN": "ENVTOKEN"]
    private let block: [String: Value] = ["access_key": .string("AKIABLOCK"), "secret_key": .string("block/SECRET"),
                                          "region": .string("eu-west-1")]

    @Test func providerBlockComesFirst() throws {
        let home = try TemporaryDirectory()
        defer { home.remove() }
        try home.write(".aws/credentials", fileText)
        let credentials = try AWSCredentialResolver.resolve(block: block, environment: environment, homeDirectory: home.path)
        #expect(credentials.accessKeyID == "AKIABLOCK")
        #expect(credentials.secretAccessKey == "block/SECRET")
        #expect(credentials.sessionToken == nil)
        #expect(credentials.source == .providerBlock)
    }

    @Test func environmentComesBeforeTheFile() throws {
        let home = try TemporaryDirectory()
        defer { home.remove() }
        try home.write(".aws/credentials", fileText)
        let credentials = try AWSCredentialResolver.resolve(block: [:], environment: environment, homeDirectory: home.path)
        #expect(credentials.accessKeyID == "AKIAENVIRONMENT")
        #expect(credentials.sessionToken == "ENVTOKEN")
        #expect(credentials.source == .environment)
    }

    @Test func fileDefaultProfileComesLast() throws {
        let home = try TemporaryDirectory()
        defer { home.remove() }
        let path = try home.write(".aws/credentials", fileText)
        let credentials = try AWSCredentialResolver.resolve(block: [:], environment: [:], homeDirectory: home.path)
        #expect(credentials.accessKeyID == "AKIAFILEDEFAULT")
        #expect(credentials.secretAccessKey == "file/default/SECRET")
        #expect(credentials.source == .sharedCredentialsFile(path: path, profile: "default"))
    }

    @Test func profileAndFileComeFromTheEnvironment() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try directory.write("elsewhere/creds.ini", fileText)
        let credentials = try AWSCredentialResolver.resolve(
            block: [:], environment: ["AWS_SHARED_CREDENTIALS_FILE": path, "AWS_PROFILE": "staging"], homeDirectory: nil)
        #expect(credentials.accessKeyID == "AKIAFILESTAGING")
        #expect(credentials.secretAccessKey == "file/staging/SECRET")
        #expect(credentials.sessionToken == "FILETOKEN")
    }

    @Test func blockProfileOverridesAWSProfile() throws {
        let home = try TemporaryDirectory()
        defer { home.remove() }
        try home.write(".aws/credentials", fileText)
        let credentials = try AWSCredentialResolver.resolve(
            block: ["profile": .string("staging")], environment: ["AWS_PROFILE": "default"], homeDirectory: home.path)
        #expect(credentials.accessKeyID == "AKIAFILESTAGING")
    }

    @Test(arguments: [
        ([:], ["AWS_PROFILE": "missing"]),
        ([:], ["AWS_PROFILE": "broken"]),
        (["access_key": Value.string("AKIAONLYKEY")], [:]),
        ([:], ["AWS_ACCESS_KEY_ID": "AKIAONLYKEY"]),
        (["secret_key": Value.number(3), "access_key": .string("AKIA")], [:]),
    ] as [([String: Value], [String: String])])
    func rejectsIncompleteSources(block: [String: Value], environment: [String: String]) throws {
        let home = try TemporaryDirectory()
        defer { home.remove() }
        try home.write(".aws/credentials", fileText)
        let error = #expect(throws: ProviderError.self) {
            try AWSCredentialResolver.resolve(block: block, environment: environment, homeDirectory: home.path)
        }
        #expect(error?.code == .invalidInput)
    }

    @Test func reportsWhenNothingIsFound() throws {
        let home = try TemporaryDirectory()
        defer { home.remove() }
        let error = #expect(throws: ProviderError.self) {
            try AWSCredentialResolver.resolve(block: [:], environment: [:], homeDirectory: home.path)
        }
        #expect(error?.code == .invalidInput)
        #expect(error?.message.contains("no AWS credentials") == true)
    }

    @Test func resolvesRegionAndEndpoint() throws {
        let fromBlock = try AWSConfiguration.resolve(
            block: block.merging(["endpoint": .string("http://127.0.0.1:4566")]) { $1 },
            environment: ["AWS_REGION": "us-east-2", "AWS_ENDPOINT_URL": "http://127.0.0.1:1"], homeDirectory: nil)
        #expect(fromBlock.region == "eu-west-1")
        #expect(fromBlock.endpoint == "http://127.0.0.1:4566")

        let fromEnvironment = try AWSConfiguration.resolve(
            block: [:], environment: environment.merging(["AWS_DEFAULT_REGION": "ap-south-1", "AWS_ENDPOINT_URL": "https://localhost:4566"]) { $1 },
            homeDirectory: nil)
        #expect(fromEnvironment.region == "ap-south-1")
        #expect(fromEnvironment.endpoint == "https://localhost:4566")

        let preferred = try AWSConfiguration.resolve(
            block: [:], environment: environment.merging(["AWS_DEFAULT_REGION": "ap-south-1", "AWS_REGION": "sa-east-1"]) { $1 },
            homeDirectory: nil)
        #expect(preferred.region == "sa-east-1")
        #expect(preferred.endpoint == nil)
    }

    @Test func rejectsAMissingRegionOrABadEndpoint() {
        #expect(throws: ProviderError.self) {
            try AWSConfiguration.resolve(block: [:], environment: environment, homeDirectory: nil)
        }
        #expect(throws: ProviderError.self) {
            try AWSConfiguration.resolve(block: ["endpoint": .string("localhost:4566")],
                                         environment: environment.merging(["AWS_REGION": "us-east-1"]) { $1 }, homeDirectory: nil)
        }
    }

    @Test func neverRevealsTheSecret() throws {
        let credentials = AWSCredentials(accessKeyID: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                                         sessionToken: "SESSIONTOKENVALUE", source: .environment)
        let configuration = AWSConfiguration(credentials: credentials, region: "us-east-1")
        var dumped = ""
        dump(credentials, to: &dumped)
        dump(configuration, to: &dumped)
        let renderings = [credentials.description, String(describing: credentials), String(reflecting: credentials),
                          "\(credentials)", configuration.description, String(reflecting: configuration),
                          String(describing: [credentials]), dumped]
        for text in renderings {
            #expect(!text.contains("wJalrXUtnFEMI"), "\(text)")
            #expect(!text.contains("SESSIONTOKENVALUE"), "\(text)")
            #expect(!text.contains("IOSFODNN7"), "\(text)")
        }
        #expect(credentials.description.contains("AKIA****"))
    }
}
