import Foundation
import ProviderKit
import TendModel
@testable import TendPluginRPC

/// The Python test provider (fixtures/plugin-provider) in a temporary directory of its own: a mirror-style name
/// that fixes its protocol version, a store for its objects, a schema cache. Removed when released.
final class PluginFixture: @unchecked Sendable {
    let root: URL
    let executable: String
    let store: String
    let cache: String
    let protocolVersion: Int

    /// - Parameter fault: `TENDTEST_FAULT` for the provider process.
    init(protocolVersion: Int, fault: String? = nil, timeout: Double = 120) throws {
        self.protocolVersion = protocolVersion
        root = FileManager.default.temporaryDirectory.appendingPathComponent("tend-plugin-\(UUID().uuidString)")
        let binDir = root.appendingPathComponent("tend.test/tend/tendtest/1.0.0/linux_amd64")
        try FileManager.default.createDirectory(at: binDir, withIntermediateDirectories: true)
        executable = binDir.appendingPathComponent("terraform-provider-tendtest_v1.0.0_x\(protocolVersion)").path
        try FileManager.default.createSymbolicLink(atPath: executable, withDestinationPath: PluginFixture.script)
        store = root.appendingPathComponent("store").path
        cache = root.appendingPathComponent("cache").path
        self.fault = fault
        self.timeout = timeout
    }

    let fault: String?
    let timeout: Double

    deinit {
        try? FileManager.default.removeItem(at: root)   // a temporary directory; nothing to report if it is gone
    }

    /// The fixture script in the repository.
    static var script: String {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.appendingPathComponent("fixtures/plugin-provider/terraform-provider-tendtest").path
    }

    var launch: PluginLaunch {
        var environment = ProcessInfo.processInfo.environment
        if let fault { environment["TENDTEST_FAULT"] = fault } else { environment.removeValue(forKey: "TENDTEST_FAULT") }
        return PluginLaunch(name: "tendtest", source: "tend.test/tend/tendtest", executable: executable,
                            binaryHash: "fixture-v\(protocolVersion)", protocolVersion: protocolVersion,
                            environment: environment, schemaCacheDirectory: cache, callTimeout: timeout)
    }

    /// The provider block tend would pass: its settings under `config`.
    var context: ProviderContext {
        ProviderContext(baseDirectory: root.path, stack: "test",
                        configuration: ["source": .string("tend.test/tend/tendtest"), "config": .map(["store": .string(store)])])
    }

    /// A started, configured provider; lines it logs are collected in `lines`.
    func start() async throws -> PluginProvider {
        let provider = try await PluginProvider.start(launch, log: log)
        try await provider.configure(context: context)
        return provider
    }

    let lines = LogLines()
    var log: PluginLog { PluginLog(name: "tendtest") { [lines] in lines.append($0) } }

    /// The objects in the store, by id.
    func storedIDs() throws -> [String] {
        guard FileManager.default.fileExists(atPath: store) else { return [] }
        return try FileManager.default.contentsOfDirectory(atPath: store).filter { $0.hasSuffix(".json") }
            .map { String($0.dropLast(5)) }.sorted()
    }
}

/// Log lines collected from a plugin.
final class LogLines: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [String] = []
    func append(_ line: String) { lock.withLock { items.append(line) } }
    var all: [String] { lock.withLock { items } }
}
