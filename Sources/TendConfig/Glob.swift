/// Shell-style glob matching: `*`, `?` and `[set]` (with `!` or `^` negation and ranges).
/// Without `sets`, brackets match themselves: addresses like `site["a"]` hold them literally.
enum Glob {
    static func matches(_ pattern: String, _ text: String, sets: Bool = true) -> Bool {
        let p = Array(pattern)
        let t = Array(text)
        var pi = 0, ti = 0
        var starP = -1, starT = 0
        while ti < t.count {
            if pi < p.count, p[pi] == "*" {
                starP = pi
                starT = ti
                pi += 1
            } else if pi < p.count, let (matched, next) = matchOne(p, pi, t[ti], sets: sets), matched {
                pi = next
                ti += 1
            } else if starP >= 0 {
                pi = starP + 1
                starT += 1
                ti = starT
            } else {
                return false
            }
        }
        while pi < p.count, p[pi] == "*" { pi += 1 }
        return pi == p.count
    }

    /// Whether the pattern element at `index` matches `c`, and where the next element starts.
    private static func matchOne(_ p: [Character], _ index: Int, _ c: Character, sets: Bool) -> (Bool, Int)? {
        switch p[index] {
        case "?": return (true, index + 1)
        case "[" where sets:
            var i = index + 1
            var negate = false
            if i < p.count, p[i] == "!" || p[i] == "^" { negate = true; i += 1 }
            var matched = false
            var first = true
            while i < p.count, p[i] != "]" || first {
                first = false
                if i + 2 < p.count, p[i + 1] == "-", p[i + 2] != "]" {
                    if p[i] <= c && c <= p[i + 2] { matched = true }
                    i += 3
                } else {
                    if p[i] == c { matched = true }
                    i += 1
                }
            }
            guard i < p.count else { return (p[index] == c, index + 1) }   // unterminated: literal "["
            return (matched != negate, i + 1)
        default:
            return (p[index] == c, index + 1)
        }
    }
}
