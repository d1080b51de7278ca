// swift-tools-version: 6.0
import PackageDescription
import Foundation

/// The directory of this manifest: the link reads Linker/tend.order from it whatever directory the build runs in.
let packageDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().path

let package = Package(
    name: "tend",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "tend", targets: ["tend"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.6.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.6.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
        .package(url: "https://github.com/grpc/grpc-swift-2", from: "2.4.3"),
        .package(url: "https://github.com/grpc/grpc-swift-nio-transport", from: "2.9.2"),
        .package(url: "https://github.com/grpc/grpc-swift-protobuf", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
    ],
    targets: [
        // C libraries from the system: no build cost.
        .systemLibrary(name: "CSQLite", path: "Sources/CSQLite", pkgConfig: "sqlite3",
                       providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CCrypto", path: "Sources/CCrypto", pkgConfig: "libcrypto",
                       providers: [.apt(["libssl-dev"])]),
        // libcurl and libpq are opened on first use (dlopen), not linked: see their headers.
        .target(name: "CLibraryLoader", path: "Sources/CLibraryLoader", linkerSettings: [.linkedLibrary("dl")]),
        .target(name: "CCurl", dependencies: ["CLibraryLoader"], path: "Sources/CCurl"),
        .target(name: "CPostgres", dependencies: ["CLibraryLoader"], path: "Sources/CPostgres"),

        // Bottom: pure values, graph.
        .target(name: "TendModel"),
        .target(name: "TendGraph"),

        // Contract, config, diff, state.
        .target(name: "ProviderKit", dependencies: ["TendModel"]),
        .target(name: "ProviderKitTesting", dependencies: ["ProviderKit", "TendModel"]),
        .target(name: "TendConfig", dependencies: ["TendModel", "TendGraph", "Yams"]),
        .target(name: "TendDiff", dependencies: ["TendModel"]),
        .target(name: "TendState", dependencies: ["TendModel", "CSQLite", "CCrypto", "CPostgres"]),
        .target(name: "TendStateTesting", dependencies: ["TendState", "TendModel", "CSQLite", "TendFuzzing"]),
        .target(name: "TendHTTP", dependencies: ["CCurl", "TendModel"]),
        .target(name: "TendReport", dependencies: ["TendModel"]),
        // Terraform plugins, the part that needs no gRPC: cty types and msgpack values, plugin schemas, finding
        // provider binaries offline, the lock file.
        .target(name: "TendPlugin", dependencies: ["TendModel", "ProviderKit", "CCrypto"]),
        // Terraform plugins over the wire: the go-plugin handshake, generated tfplugin5/6 code (from proto/,
        // generated once and committed), the gRPC client and the provider adapter.
        .target(name: "TendPluginRPC", dependencies: [
            "TendPlugin", "TendModel", "ProviderKit",
            .product(name: "GRPCCore", package: "grpc-swift-2"),
            .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
            .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf"),
            .product(name: "SwiftProtobuf", package: "swift-protobuf"),
        ]),
        // Test support: a seeded mutation fuzzer the test targets share.
        .target(name: "TendFuzzing"),

        // Providers.
        .target(name: "LocalProvider", dependencies: ["ProviderKit", "TendModel", "CCrypto"],
                path: "providers/local"),
        .target(name: "AWSProvider", dependencies: ["ProviderKit", "TendModel", "TendHTTP", "CCrypto"],
                path: "providers/aws"),

        // The only place that joins them.
        .target(name: "TendEngine", dependencies: [
            "TendModel", "TendGraph", "ProviderKit", "TendConfig", "TendDiff", "TendState", "TendReport",
        ]),
        // Scheduled drift: the loop, webhooks, metrics over HTTP.
        .target(name: "TendWatch", dependencies: [
            "TendState", "TendModel", "TendHTTP", "CCrypto",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),
        .target(name: "TendCLI", dependencies: [
            "TendEngine", "TendModel", "TendConfig", "TendState", "TendReport", "ProviderKit", "LocalProvider", "AWSProvider",
            "TendWatch", "TendPlugin", "TendPluginRPC",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        // Release links with lld, packing the position-independent binary's relative relocations (RELR: some 150,000
        // of them, 3.6 MiB as RELA, read and applied at every start) into a few KiB, and without exporting every
        // public symbol to the dynamic table (1.3 MiB more): both were resident pages of every run.
        .executableTarget(name: "tend", dependencies: ["TendCLI"], linkerSettings: [
            .unsafeFlags(["-use-ld=lld", "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs",
                          "-Xlinker", "--no-export-dynamic",
                          // The functions ordinary runs execute, laid out together (scripts/linker-order.py).
                          "-Xlinker", "--symbol-ordering-file=\(packageDirectory)/Linker/tend.order", "-Xlinker", "--no-warn-symbol-ordering"],
                         .when(configuration: .release)),
        ]),

        // Report rendering: N synthetic findings through every format.
        .executableTarget(name: "tend-report-bench", dependencies: ["TendReport", "TendModel"],
                          path: "Benchmarks/report"),

        .testTarget(name: "TendModelTests", dependencies: [
            "TendModel", "TendFuzzing", .product(name: "PropertyBased", package: "swift-property-based"),
        ]),
        .testTarget(name: "TendGraphTests", dependencies: ["TendGraph"]),
        .testTarget(name: "TendConfigTests", dependencies: [
            "TendConfig", "TendModel", "TendFuzzing", "Yams", .product(name: "PropertyBased", package: "swift-property-based"),
        ]),
        .testTarget(name: "TendDiffTests", dependencies: ["TendDiff", "TendModel"]),
        .testTarget(name: "TendStateTests", dependencies: [
            "TendState", "TendStateTesting", "TendModel", "TendFuzzing", .product(name: "PropertyBased", package: "swift-property-based"),
        ]),
        .testTarget(name: "TendReportTests", dependencies: ["TendReport", "TendModel"]),
        .testTarget(name: "LocalProviderTests", dependencies: [
            "LocalProvider", "ProviderKit", "ProviderKitTesting", "TendModel",
        ]),
        .testTarget(name: "TendEngineTests", dependencies: [
            "TendEngine", "TendModel", "ProviderKit", "ProviderKitTesting", "TendState", "TendStateTesting", "TendConfig",
            "TendFuzzing",
            .product(name: "PropertyBased", package: "swift-property-based"),
        ]),
        .testTarget(name: "TendCLITests", dependencies: [
            "TendCLI", "TendModel", "TendState", "TendStateTesting", "ProviderKitTesting", "TendFuzzing", .product(name: "PropertyBased", package: "swift-property-based"),
        ]),
        .testTarget(name: "TendHTTPTests", dependencies: ["TendHTTP"]),
        .testTarget(name: "AWSProviderTests", dependencies: [
            "AWSProvider", "ProviderKit", "ProviderKitTesting", "TendConfig", "TendEngine", "TendHTTP", "TendModel", "TendState",
            "TendFuzzing",
        ]),
        .testTarget(name: "TendPluginTests", dependencies: [
            "TendPlugin", "TendModel", "ProviderKit", "TendFuzzing",
            .product(name: "PropertyBased", package: "swift-property-based"),
        ]),
        .testTarget(name: "TendPluginRPCTests", dependencies: [
            "TendPluginRPC", "TendPlugin", "TendModel", "ProviderKit", "ProviderKitTesting",
        ]),
        .testTarget(name: "TendWatchTests", dependencies: ["TendWatch", "TendEngine", "TendModel", "TendState", "TendHTTP"]),
    ],
    swiftLanguageModes: [.v6]
)
