import Foundation
import TendModel

/// ISO 8601 UTC timestamps (`2024-05-01T12:00:00Z`), formatted by arithmetic: a formatter per call
/// would dominate the time of a big report, and a shared one is not `Sendable`.
enum ReportDate {
    /// The timestamp to the whole second, in UTC.
    static func iso8601(_ date: Date) -> String {
        // Ten thousand years either way: beyond every year shown, and safe for the day arithmetic.
        let limit = 316_000_000_000.0
        let seconds = Int64(saturating: max(-limit, min(limit, date.timeIntervalSince1970.rounded(.down))))
        let days = floorDivide(seconds, 86_400)
        let secondOfDay = seconds - days * 86_400
        let (year, month, day) = civil(fromDays: days)
        guard (0...9999).contains(year) else {
            return "\(year)-\(pad(month))-\(pad(day))T\(pad(secondOfDay / 3600)):\(pad(secondOfDay % 3600 / 60)):\(pad(secondOfDay % 60))Z"
        }
        // Twenty ASCII bytes, written in place: this runs several times per finding.
        var bytes: [UInt8] = Array("0000-00-00T00:00:00Z".utf8)
        func put(_ value: Int64, at offset: Int, digits: Int) {
            var rest = value
            for position in stride(from: offset + digits - 1, through: offset, by: -1) {
                bytes[position] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
            }
        }
        put(year, at: 0, digits: 4)
        put(month, at: 5, digits: 2)
        put(day, at: 8, digits: 2)
        put(secondOfDay / 3600, at: 11, digits: 2)
        put(secondOfDay % 3600 / 60, at: 14, digits: 2)
        put(secondOfDay % 60, at: 17, digits: 2)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The calendar day only (`2024-05-01`), for chart labels.
    static func day(_ date: Date) -> String {
        String(iso8601(date).prefix(10))
    }

    private static func floorDivide(_ a: Int64, _ b: Int64) -> Int64 {
        let quotient = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? quotient - 1 : quotient
    }

    /// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's `civil_from_days`).
    private static func civil(fromDays days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719_468
        let era = floorDivide(z, 146_097)
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }

    private static func pad(_ number: Int64) -> String {
        number < 10 ? "0\(number)" : String(number)
    }
}
