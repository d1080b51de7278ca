extension FixedWidthInteger {
    /// `value` toward zero, held to this type's bounds (NaN is 0): a conversion from a double that never traps,
    /// for durations, sizes and coordinates computed from input.
    public init(saturating value: Double) {
        if value.isNaN {
            self = 0
        } else if value <= Double(Self.min) {
            self = .min
        } else if value >= Double(Self.max) {
            self = .max
        } else {
            self.init(value)  // strictly inside the bounds: cannot trap
        }
    }
}
