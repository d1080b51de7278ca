import TendModel

/// How many bytes to reserve for a report, measured from a sample of its items, so a big report's
/// buffer seldom has to grow (and copy itself) while it is written.
enum CapacityEstimate {
    /// Items measured, spread evenly over the list.
    static let sampleSize = 64

    /// `fixed` plus a quarter more than the sample's average size times the number of items.
    static func bytes<Item>(for items: [Item], fixed: Int, measuring measure: (Item) -> Int) -> Int {
        guard !items.isEmpty else { return fixed }
        let picks = min(items.count, sampleSize)
        var total = 0
        for pick in 0..<picks {
            total += measure(items[pick * items.count / picks])
        }
        let estimate = Double(total) / Double(picks) * Double(items.count) * 1.25
        return fixed + Int(saturating: min(estimate, Double(Int32.max)))
    }
}
