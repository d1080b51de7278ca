import TendModel

extension Number {
    /// The double that is exactly this number and whose shortest text is this number again; nil when there is none.
    /// `0.5` has one; `0.1` has not (no double is exactly a tenth), nor has the 55-digit exact value of the double
    /// nearest 0.1 (it would read back as `0.1`). Only such numbers go on the wire as floats, so reading a float
    /// back as its shortest decimal returns the very number written.
    var exactDouble: Double? {
        let double = doubleValue
        guard double.isFinite, Number(double) == self, Number.exactValue(of: double) == self else { return nil }
        return double
    }

    /// The exact value of a finite double, every binary digit of it written out in decimal.
    static func exactValue(of double: Double) -> Number? {
        guard double.isFinite else { return nil }
        guard double != 0 else { return Number(0) }
        let magnitude = abs(double)
        var significand: UInt64
        var exponent: Int
        if magnitude.isSubnormal {
            significand = magnitude.significandBitPattern
            exponent = -1074
        } else {
            significand = magnitude.significandBitPattern | (1 << 52)
            exponent = Int(magnitude.exponent) - 52
        }
        while exponent < 0, significand & 1 == 0 {
            significand >>= 1
            exponent += 1
        }
        // significand × 2^exponent; below zero that is (significand × 5^-exponent) × 10^exponent.
        var digits = DecimalDigits(significand)
        if exponent >= 0 {
            digits.multiply(base: 2, power: exponent)
        } else {
            digits.multiply(base: 5, power: -exponent)
        }
        let sign = double.sign == .minus ? "-" : ""
        return Number(parsing: sign + digits.text + (exponent < 0 ? "e\(exponent)" : ""))
    }
}

/// A non-negative integer of any size in base 10^9 limbs, least significant first: just enough arithmetic to write
/// a double's exact value.
private struct DecimalDigits {
    static let limbBase: UInt64 = 1_000_000_000
    var limbs: [UInt64]

    init(_ value: UInt64) {
        limbs = []
        var rest = value
        repeat {
            limbs.append(rest % DecimalDigits.limbBase)
            rest /= DecimalDigits.limbBase
        } while rest > 0
    }

    /// Multiplies by `base^power` (base 2 or 5), in the largest steps whose products cannot overflow.
    mutating func multiply(base: UInt64, power: Int) {
        let step = base == 2 ? 29 : 13
        var left = power
        while left > 0 {
            let now = min(left, step)
            var factor: UInt64 = 1
            for _ in 0..<now { factor *= base }
            multiply(by: factor)
            left -= now
        }
    }

    /// Multiplies by a factor below 2^32.
    mutating func multiply(by factor: UInt64) {
        var carry: UInt64 = 0
        for index in limbs.indices {
            let product = limbs[index] * factor + carry
            limbs[index] = product % DecimalDigits.limbBase
            carry = product / DecimalDigits.limbBase
        }
        while carry > 0 {
            limbs.append(carry % DecimalDigits.limbBase)
            carry /= DecimalDigits.limbBase
        }
    }

    var text: String {
        guard let last = limbs.last else { return "0" }
        var out = String(last)
        for limb in limbs.dropLast().reversed() {
            let part = String(limb)
            out += String(repeating: "0", count: 9 - part.count) + part
        }
        return out
    }
}
