import Foundation
import Synchronization

/// A PostgreSQL server the tests start themselves: `initdb` and `pg_ctl` of the newest PostgreSQL installed under
/// `/usr/lib/postgresql/VERSION/bin`, a data directory in the system's temporary directory, listening on 127.0.0.1 at a
/// free port (its Unix socket in the same temporary directory), password authentication over TCP.
///
/// One server serves a whole test process (`shared()`), started on first use and stopped (its directory removed) when
/// the process exits; tests keep apart by using a schema of their own (`url(schema:)` with `uniqueSchema()`).
/// `initdb` refuses to run as root: as root, the programs run as the `postgres` user (which Debian's package creates)
/// through `runuser`, with the directory given to that user.
public final class PostgresServer: Sendable {
    /// The address it listens on.
    public let host = "127.0.0.1"
    public let port: Int
    /// The superuser the tests connect as.
    public let user = "tend"
    /// The superuser's password: random, per server.
    public let password: String
    /// The temporary directory holding the data directory, the socket and the log.
    public let directory: String
    private let binaries: String
    private let runAs: [String]

    private static let started = Mutex<Result<PostgresServer, PostgresServerError>?>(nil)

    /// The server of this test process, started on first use; the same failure for every caller when it cannot start.
    public static func shared() throws -> PostgresServer {
        try started.withLock { (started: inout Result<PostgresServer, PostgresServerError>?) -> Result<PostgresServer, PostgresServerError> in
            if let started { return started }
            let result: Result<PostgresServer, PostgresServerError>
            do {
                result = .success(try PostgresServer())
                atexit { PostgresServer.stopShared() }
            } catch let error as PostgresServerError {
                result = .failure(error)
            } catch {
                result = .failure(PostgresServerError(message: "\(error)"))
            }
            started = result
            return result
        }.get()
    }

    /// Stops the shared server, if one was started.
    static func stopShared() {
        if case let .success(server)? = started.withLock({ $0 }) { server.stop() }
    }

    /// Starts a new server; `stop()` it when done.
    public init() throws {
        binaries = try Self.newestBinaries()
        let isRoot = geteuid() == 0
        runAs = isRoot ? ["/usr/bin/env", "runuser", "-u", "postgres", "--"] : []
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("tend-pg-\(UUID().uuidString.prefix(8).lowercased())").path
        password = (0..<4).map { _ in String(UInt64.random(in: .min ... .max), radix: 16) }.joined()
        port = try Self.freePort()
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        let passwordFile = directory + "/password"
        try Data((password + "\n").utf8).write(to: URL(fileURLWithPath: passwordFile))
        chmod(passwordFile, 0o600)
        if isRoot { try Self.giveToPostgresUser(directory) }
        do {
            try run("initdb", ["-D", directory + "/data", "-U", user, "--pwfile=\(passwordFile)", "--auth-local=trust",
                               "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C", "--no-sync"])
            let settings = [
                "listen_addresses=127.0.0.1", "port=\(port)", "unix_socket_directories=\(directory)", "fsync=off",
                "synchronous_commit=off", "full_page_writes=off", "max_connections=200",
            ].map { "-c \($0)" }.joined(separator: " ")
            try run("pg_ctl", ["-D", directory + "/data", "-l", directory + "/server.log", "-w", "-t", "60",
                               "-o", settings, "start"])
            try startWatchdog()
        } catch {
            // The failure is what the caller needs; the half-made directory goes either way.
            try? FileManager.default.removeItem(atPath: directory)
            throw error
        }
    }

    /// A URL of this server: the password in it unless `includePassword` is false; `schema` and `stack` when given.
    public func url(database: String = "postgres", schema: String? = nil, stack: String? = nil,
                    includePassword: Bool = true, extra: [String: String] = [:]) -> String {
        let credentials = includePassword ? "\(user):\(password)" : user
        var query = extra.keys.sorted().map { "\($0)=\(extra[$0] ?? "")" }
        if let schema { query.insert("schema=\(schema)", at: 0) }
        if let stack { query.insert("stack=\(stack)", at: 0) }
        return "postgres://\(credentials)@\(host):\(port)/\(database)" + (query.isEmpty ? "" : "?" + query.joined(separator: "&"))
    }

    /// A schema name no other test uses.
    public static func uniqueSchema(_ prefix: String = "t") -> String {
        "\(prefix)_\(UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased())"
    }

    /// Stops the server at once and removes its directory.
    public func stop() {
        // Stopping is best effort at exit: the directory is removed whatever pg_ctl says.
        try? run("pg_ctl", ["-D", directory + "/data", "-m", "immediate", "-w", "stop"])
        try? FileManager.default.removeItem(atPath: directory)   // Nothing to do about a directory that will not go.
    }

    /// Restarts the server (fast shutdown, then start), cutting every connection: what a crash or upgrade does.
    public func restart() throws {
        try run("pg_ctl", ["-D", directory + "/data", "-l", directory + "/server.log", "-w", "-m", "fast", "restart"])
    }

    /// Runs one of the server's programs (as the `postgres` user when this process is root), its output going to
    /// `commands.log` in the directory; throws with that output when it fails.
    ///
    /// Spawned and waited for directly (`posix_spawn`, `waitpid`), with no pipe: `pg_ctl start` leaves the server
    /// running behind it, and nothing here may wait for the server's end.
    private func run(_ program: String, _ arguments: [String]) throws {
        let command = runAs + [binaries + "/" + program] + arguments
        let log = directory + "/commands.log"
        let offset = (try? FileManager.default.attributesOfItem(atPath: log)[.size] as? Int) ?? 0   // No log yet: from 0.
        let pid = try Self.spawn(command, output: log)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let exited = (status & 0x7f) == 0
        let code = (status >> 8) & 0xff
        guard exited && code == 0 else {
            let output = (try? Data(contentsOf: URL(fileURLWithPath: log)))   // No output to add when there is no log.
                .map { String(decoding: $0.dropFirst(offset), as: UTF8.self) } ?? ""
            let serverLog = (try? String(contentsOfFile: directory + "/server.log", encoding: .utf8)) ?? ""   // No log yet.
            throw PostgresServerError(message: "\(program) failed (status \(status)): \(output)"
                + (serverLog.isEmpty ? "" : "\nserver log:\n" + serverLog.suffix(2000)))
        }
    }

    /// Starts `command` with stdin from /dev/null and stdout and stderr appended to `output`; returns its pid.
    private static func spawn(_ command: [String], output: String) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let arguments = command.map { strdup($0) } + [nil]
        defer { for argument in arguments { free(argument) } }
        var pid: pid_t = 0
        let spawned = posix_spawnp(&pid, command[0], &actions, nil, arguments, environ)
        guard spawned == 0 else {
            throw PostgresServerError(message: "cannot run \(command[0]): \(String(cString: strerror(spawned)))")
        }
        return pid
    }

    /// Leaves a shell behind that stops the server and removes its directory once this process is gone, however it
    /// ends: a test process that is killed gets no `atexit`.
    private func startWatchdog() throws {
        let stop = (runAs + [binaries + "/pg_ctl", "-D", directory + "/data", "-m", "immediate", "-w", "stop"])
            .map { "'\($0)'" }.joined(separator: " ")
        let script = "while kill -0 \(getpid()) 2>/dev/null; do sleep 1; done; \(stop); rm -rf '\(directory)'"
        _ = try Self.spawn(["/bin/sh", "-c", script], output: "/dev/null")
    }

    /// The `bin` directory of the newest PostgreSQL version installed.
    private static func newestBinaries() throws -> String {
        let root = "/usr/lib/postgresql"
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? [])   // No directory: none installed.
            .filter { FileManager.default.isExecutableFile(atPath: "\(root)/\($0)/bin/initdb") }
            .sorted { (Double($0) ?? 0) < (Double($1) ?? 0) }
        guard let newest = versions.last else {
            throw PostgresServerError(message: "no PostgreSQL server is installed (\(root)/*/bin/initdb): "
                + "install the postgresql package (make deps does)")
        }
        return "\(root)/\(newest)/bin"
    }

    /// Gives `path` to the `postgres` user, for the server programs run as that user.
    private static func giveToPostgresUser(_ path: String) throws {
        guard let entry = getpwnam("postgres") else {
            throw PostgresServerError(message: "running as root, and there is no postgres user to run the server as")
        }
        let uid = entry.pointee.pw_uid
        let gid = entry.pointee.pw_gid
        let inside = try FileManager.default.subpathsOfDirectory(atPath: path).map { (path as NSString).appendingPathComponent($0) }
        for item in [path] + inside {
            guard chown(item, uid, gid) == 0 else {
                throw PostgresServerError(message: "cannot give \(item) to the postgres user: \(String(cString: strerror(errno)))")
            }
        }
    }

    /// A TCP port on 127.0.0.1 free right now (nothing listens on it).
    public static func freePort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw PostgresServerError(message: "cannot open a socket to find a free port") }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) }
        }
        guard bound == 0 else { throw PostgresServerError(message: "cannot bind 127.0.0.1:0 to find a free port") }
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        guard named == 0 else { throw PostgresServerError(message: "cannot read the port bound") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
