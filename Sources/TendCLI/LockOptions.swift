import ArgumentParser
import Foundation

/// `--lock-timeout DURATION`, taken by every command that takes the state lock.
struct LockOptions: ParsableArguments {
    @Option(name: .customLong("lock-timeout"),
            help: "How long to wait for a state lock held by another run: 30s, 2m, 1h, or seconds (default 0: fail at once).")
    var lockTimeout: LockTimeout = LockTimeout(seconds: 0)

    /// Refuses a `TEND_LOCK_LEASE` that is not a duration before the command runs (exit 1, naming the variable).
    func validate() throws {
        _ = try Workspace.lockLease(environment: ProcessInfo.processInfo.environment)
    }
}

/// A wait for the state lock, in seconds.
struct LockTimeout: ExpressibleByArgument, Sendable, Hashable {
    var seconds: Double

    init(seconds: Double) {
        self.seconds = seconds
    }

    /// `0`, `45`, `30s`, `2m`, `1h`, `1.5m`; nil for anything else, negative or over a day.
    init?(argument: String) {
        let text = argument.trimmingCharacters(in: .whitespaces).lowercased()
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
        var number = Substring(text)
        var scale = 1.0
        for (suffix, factor) in units where text.hasSuffix(suffix) {
            number = text.dropLast(suffix.count)
            scale = factor
            break
        }
        guard !number.isEmpty, number.allSatisfy({ $0.isNumber || $0 == "." }), let value = Double(number),
              value.isFinite, value >= 0, value * scale <= 86_400 else { return nil }
        seconds = value * scale
    }

    static var defaultValueDescription: String { "0" }
}
