import Foundation

/// Numbers through `Codable` (saved plan files): integers as integers; other numbers as a `Decimal` when it holds
/// them exactly (up to 38 significant digits), else as the double that reads back as the same number. A number
/// neither can hold exactly is refused rather than rounded.
extension Number: Codable {
    /// Reads a number exactly where the decoder's text allows (see the type's overview).
    public init(from decoder: Decoder) throws {
        // Decoders read any JSON number as an integer when its double is whole (`2664933909102488.9`), so the
        // exact reading (Decimal, 38 digits) comes first; the double is the check that Decimal did not underflow
        // or overflow, and the reading beyond Decimal's exponents (`1e300`).
        let container = try decoder.singleValueContainer()
        // Each try? asks "can this container be read as X"; a no moves on to the next reading, and the last refuses.
        let double = try? container.decode(Double.self)
        if let decimal = try? container.decode(Decimal.self), decimal.isFinite,   // a probe, as above
           let number = Number(parsing: decimal.description), double == nil || number.doubleValue == double {
            self = number
        } else if let double, let number = Number(double) {
            self = number
        } else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a finite number")
        }
    }

    /// Writes the number exactly, or throws `EncodingError.invalidValue` when neither form holds it.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        if let integer = int64Value {
            try container.encode(integer)
        } else if let decimal = Decimal(string: description, locale: Locale(identifier: "en_US_POSIX")),
                  decimal.isFinite, Number(parsing: decimal.description) == self {
            try container.encode(decimal)
        } else if Number(doubleValue) == self {
            try container.encode(doubleValue)
        } else {
            throw EncodingError.invalidValue(self, EncodingError.Context(
                codingPath: encoder.codingPath, debugDescription: "\(self) has more digits than a saved plan holds"))
        }
    }
}
