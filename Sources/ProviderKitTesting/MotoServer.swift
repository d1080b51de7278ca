import Foundation

/// A real `moto_server` process on 127.0.0.1 with a free port, stopped when released.
public final class MotoServer: @unchecked Sendable {
    let process = Process()
    /// The port it listens on.
    public let port: Int
    /// `http://127.0.0.1:PORT`.
    public var endpoint: String { "http://127.0.0.1:\(port)" }

    /// The file moto appends every request it receives to (its recorder), when started with one.
    public let recording: URL?

    /// Starts moto_server and waits until it answers. Throws when moto_server is missing or does not start.
    /// With `recording` (a file in a temporary directory), moto's recorder appends every request it receives to
    /// it, so a test counts what reached the server: `recordedRequests()`.
    public init(recording: URL? = nil) throws {
        port = try MotoServer.freePort()
        self.recording = recording
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        let recorder = recording.map { ["MOTO_ENABLE_RECORDING=True", "MOTO_RECORDER_FILEPATH=\($0.path)"] } ?? []
        process.arguments = recorder + ["moto_server", "-H", "127.0.0.1", "-p", String(port)]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            if MotoServer.canConnect(port: port) { return }
            guard process.isRunning else { break }
            Thread.sleep(forTimeInterval: 0.1)
        }
        stop()
        throw NSError(domain: "MotoServer", code: 1, userInfo: [NSLocalizedDescriptionKey: "moto_server did not start on port \(port)"])
    }

    deinit {
        stop()
    }

    /// Kills the server. SIGKILL, not SIGTERM: a child of the test runner inherits its blocked signals, and a
    /// blocked SIGTERM would leave the wait hanging.
    public func stop() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// One request as moto's recorder wrote it down.
    public struct RecordedRequest: Sendable, Hashable, Decodable {
        public var method: String
        /// The whole URL, query included (`http://127.0.0.1:PORT/bucket?versioning=`).
        public var url: String
        /// The body: base64 when `body_encoded`, else text.
        public var body: String?
        public var bodyEncoded: Bool?

        enum CodingKeys: String, CodingKey {
            case method, url, body
            case bodyEncoded = "body_encoded"
        }

        /// The Query API action of a form body (`DescribeVpcs`), if any.
        public var action: String? {
            let text = bodyEncoded == true ? body.flatMap { Data(base64Encoded: $0) }.map { String(decoding: $0, as: UTF8.self) } : body
            return text?.split(separator: "&").first { $0.hasPrefix("Action=") }.map { String($0.dropFirst("Action=".count)) }
        }

        /// Whether the URL's query names `parameter` (`versioning` for GetBucketVersioning).
        public func hasQueryParameter(_ parameter: String) -> Bool {
            guard let query = URLComponents(string: url)?.queryItems else { return false }
            return query.contains { $0.name == parameter }
        }
    }

    /// Every request moto received since it started or since `clearRecording()`; empty when it records none.
    public func recordedRequests() throws -> [RecordedRequest] {
        guard let recording, FileManager.default.fileExists(atPath: recording.path) else { return [] }
        let decoder = JSONDecoder()
        return try String(contentsOf: recording, encoding: .utf8).split(separator: "\n").map { line in
            try decoder.decode(RecordedRequest.self, from: Data(line.utf8))
        }
    }

    /// Forgets the requests recorded so far. Call it only while no request is in flight.
    public func clearRecording() throws {
        guard let recording else { return }
        try Data().write(to: recording)
    }

    /// Environment for a provider pointed at this server with fake credentials.
    public var environment: [String: String] {
        ["AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_REGION": "us-east-1",
         "AWS_ENDPOINT_URL": endpoint]
    }

    /// A port nothing listens on right now.
    public static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw NSError(domain: "MotoServer", code: 2) }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard bound == 0 else { throw NSError(domain: "MotoServer", code: 3) }
        let named = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else { throw NSError(domain: "MotoServer", code: 4) }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Whether something accepts connections on the port.
    public static func canConnect(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        return result == 0
    }
}
