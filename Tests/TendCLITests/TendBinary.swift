import Foundation
import Testing

/// Runs the built `tend` binary in a directory and captures what it prints.
struct TendBinary {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    static var path: String {
        packageRoot.appendingPathComponent(".build/debug/tend").path
    }

    static func run(_ arguments: [String], in directory: URL, stdin: String? = nil,
                    environment extra: [String: String] = [:]) throws -> Result {
        var environment = ProcessInfo.processInfo.environment
        environment["NO_COLOR"] = "1"
        for (key, value) in extra { environment[key] = value }
        return try process(path, arguments, in: directory, stdin: stdin, environment: environment)
    }

    /// `run` on a thread of its own: a test that waits minutes for tend (a real Terraform provider against moto)
    /// must not hold one of the few threads every other test's tasks run on.
    static func runOffPool(_ arguments: [String], in directory: URL, environment extra: [String: String] = [:]) async throws -> Result {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Swift.Result { try run(arguments, in: directory, environment: extra) }) }.start()
        }
    }

    /// `python` on a thread of its own (see `runOffPool`).
    static func pythonOffPool(_ arguments: [String]) async throws -> Result {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Swift.Result { try python(arguments) }) }.start()
        }
    }

    /// `python3` with these arguments, for checks and changes made behind tend's back.
    static func python(_ arguments: [String]) throws -> Result {
        try process("/usr/bin/env", ["python3"] + arguments, in: nil, stdin: nil, environment: nil)
    }

    /// Runs a program to its end and captures what it prints.
    static func process(_ executable: String, _ arguments: [String], in directory: URL?, stdin: String?,
                        environment: [String: String]?) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        if let environment { process.environment = environment }
        let out = Pipe()
        let err = Pipe()
        let input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        // Read both pipes to the end before waiting, so a full pipe cannot block the child.
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
    }
}

/// A temporary directory removed when the test ends.
final class TemporaryDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("tend-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(at: url)
    }

    func write(_ relative: String, _ text: String) throws {
        let file = url.appendingPathComponent(relative)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: file)
    }

    func read(_ relative: String) throws -> String {
        try String(contentsOf: url.appendingPathComponent(relative), encoding: .utf8)
    }

    func exists(_ relative: String) -> Bool {
        FileManager.default.fileExists(atPath: url.appendingPathComponent(relative).path)
    }
}
