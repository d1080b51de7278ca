import Foundation

/// How long `tend watch` waits between runs: an interval with random jitter, and backoff after failures.
public struct WatchSchedule: Sendable, Hashable {
    /// The shortest interval accepted, in seconds.
    public static let minimumInterval: Double = 1

    /// Seconds between the end of one run and the start of the next.
    public var interval: Double
    /// The fraction (0 ≤ jitter < 1) by which each wait may be shorter or longer than the interval.
    public var jitter: Double

    /// Creates a schedule; values are taken as they are (parse user input with `parseInterval` and `parseJitter`).
    public init(interval: Double, jitter: Double) {
        self.interval = interval
        self.jitter = jitter
    }

    /// The wait before the next run: interval × (1 + jitter × r), with `r` in -1...1 (clamped).
    public func delay(random r: Double) -> Double {
        let unit = r.isFinite ? min(1, max(-1, r)) : 0
        return interval * (1 + jitter * unit)
    }

    /// The wait after `failures` failed runs in a row (1-based): 1 s, 2 s, 4 s, … capped at the interval.
    public func backoff(failures: Int) -> Double {
        let exponent = min(max(failures - 1, 0), 30)
        return min(interval, Double(1 << exponent))
    }

    /// Parses `30s`, `5m`, `1h` or plain seconds (`90`); at least one second.
    public static func parseInterval(_ text: String) throws -> Double {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
        var number = trimmed
        var scale: Double = 1
        for (suffix, factor) in units where trimmed.hasSuffix(suffix) {
            number = String(trimmed.dropLast(suffix.count))
            scale = factor
            break
        }
        guard !number.isEmpty, number.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }),
              let value = Double(number), value.isFinite else {
            throw WatchError(.invalidInterval, "--interval expects a duration such as 30s, 5m, 1h or a number of seconds, got \"\(text)\"")
        }
        let seconds = value * scale
        guard seconds.isFinite else {
            throw WatchError(.invalidInterval, "--interval is too long, got \"\(text)\"")
        }
        guard seconds >= minimumInterval else {
            throw WatchError(.invalidInterval, "--interval must be at least 1s, got \"\(text)\"")
        }
        return seconds
    }

    /// Parses `10%` or `0.1`: a fraction from 0 up to (not including) 1.
    public static func parseJitter(_ text: String) throws -> Double {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let isPercent = trimmed.hasSuffix("%")
        let number = isPercent ? String(trimmed.dropLast()).trimmingCharacters(in: .whitespaces) : trimmed
        guard !number.isEmpty, number.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }),
              let value = Double(number), value.isFinite else {
            throw WatchError(.invalidJitter, "--jitter expects a percentage such as 10% or a fraction such as 0.1, got \"\(text)\"")
        }
        if !isPercent && value >= 1 {
            throw WatchError(.invalidJitter, "--jitter must be a fraction below 1, got \"\(text)\" (did you mean \(number)%?)")
        }
        let fraction = isPercent ? value / 100 : value
        guard fraction < 1 else {
            throw WatchError(.invalidJitter, "--jitter must be below 100%, got \"\(text)\"")
        }
        return fraction
    }
}
