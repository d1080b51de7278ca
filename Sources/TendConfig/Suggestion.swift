/// "Did you mean" hints: the closest candidate by edit distance.
enum Suggestion {
    /// The closest candidate within max(2, length / 3) edits, ties broken alphabetically.
    static func closest<S: Sequence>(to word: String, among candidates: S) -> String? where S.Element == String {
        let limit = max(2, word.count / 3)
        var best: (distance: Int, candidate: String)?
        for candidate in candidates where candidate != word {
            let d = distance(word, candidate)
            guard d <= limit else { continue }
            if let current = best, (current.distance, current.candidate) <= (d, candidate) { continue }
            best = (d, candidate)
        }
        return best?.candidate
    }

    /// ` (did you mean "x"?)`, or nothing when no candidate is close.
    static func hint<S: Sequence>(for word: String, among candidates: S) -> String where S.Element == String {
        closest(to: word, among: candidates).map { " (did you mean \"\($0)\"?)" } ?? ""
    }

    /// Levenshtein distance over characters.
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
