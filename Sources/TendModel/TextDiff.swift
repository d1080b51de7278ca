/// Differences of text for people: a unified diff of multi-line values with a few lines of context, and long single
/// lines shortened around what changed. Pure: every renderer (plan and drift text, reports, webhooks) shares it.
public enum TextDiff {
    /// What one line of a unified diff is.
    public enum LineKind: String, Sendable, Hashable {
        /// The same on both sides (a space before it).
        case context
        /// Only in the old text (`-`).
        case removed
        /// Only in the new text (`+`).
        case added
        /// A hunk header (`@@ -a,b +c,d @@`).
        case hunk
        /// Something the diff left out (more lines than it shows).
        case note
    }

    /// One line of a unified diff.
    public struct Line: Sendable, Hashable {
        public var kind: LineKind
        public var text: String

        public init(_ kind: LineKind, _ text: String) {
            self.kind = kind
            self.text = text
        }

        /// The line as `diff -u` prints it: `-`, `+` or a space before the text; headers and notes as they are.
        public var rendered: String {
            switch kind {
            case .context: return " " + text
            case .removed: return "-" + text
            case .added: return "+" + text
            case .hunk, .note: return text
            }
        }
    }

    /// Cells of the longest-common-subsequence table above which the middle of two texts is shown as replaced
    /// whole rather than compared line by line (16 MiB of table).
    static let maxTableCells = 4_000_000

    /// The unified diff that takes `old` to `new`: hunks with `context` unchanged lines around each change, at most
    /// `maxLines` lines (a last `note` line says how many were left out). Empty when the texts are equal.
    public static func unified(_ old: String, _ new: String, context: Int = 3, maxLines: Int = 200) -> [Line] {
        let a = lines(of: old)
        let b = lines(of: new)
        let ops = editScript(a, b)
        var out: [Line] = []
        for hunk in hunks(ops, context: context) {
            let oldLines = hunk.filter { $0.kind != .added }
            let newLines = hunk.filter { $0.kind != .removed }
            let oldStart = oldLines.first.map { $0.oldIndex + 1 } ?? (hunk.first?.oldIndex ?? 0)
            let newStart = newLines.first.map { $0.newIndex + 1 } ?? (hunk.first?.newIndex ?? 0)
            out.append(Line(.hunk, "@@ -\(range(oldStart, oldLines.count)) +\(range(newStart, newLines.count)) @@"))
            for op in hunk {
                switch op.kind {
                case .context: out.append(Line(.context, a[op.oldIndex]))
                case .removed: out.append(Line(.removed, a[op.oldIndex]))
                case .added: out.append(Line(.added, b[op.newIndex]))
                case .hunk, .note: break
                }
            }
        }
        if out.count > maxLines {
            let left = out.count - maxLines
            out.removeLast(left)
            out.append(Line(.note, "… \(left) more diff line\(left == 1 ? "" : "s") not shown"))
        }
        return out
    }

    /// `start,count` as a hunk header writes it (`start` alone for one line).
    private static func range(_ start: Int, _ count: Int) -> String {
        count == 1 ? "\(start)" : "\(start),\(count)"
    }

    /// Whether a text has more than one line (a final newline does not start another), without splitting it: reports
    /// ask this of every finding's values.
    static func hasSeveralLines(_ text: String) -> Bool {
        let bytes = text.utf8
        guard let newline = bytes.firstIndex(of: UInt8(ascii: "\n")) else { return false }
        return bytes.index(after: newline) != bytes.endIndex
    }

    /// The lines of a text; a final newline does not start another line. Split at each newline byte, as diff(1)
    /// splits: a line ending "\r\n" keeps its "\r". (Split as characters, "\r\n" is one character that is not "\n",
    /// so a text with CRLF line ends was one long line; and walking 100 texts of 4 KiB as characters took 25 ms.)
    static func lines(of text: String) -> [String] {
        guard !text.isEmpty else { return [] }
        var parts = text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { String(Substring($0)) }
        if parts.last == "" { parts.removeLast() }
        return parts
    }

    /// One step of an edit script: a line kept, removed from `a` or added from `b`, with its index on each side
    /// (for an added line `oldIndex` is where it goes in `a`; for a removed one `newIndex` is where it was in `b`).
    struct Op: Equatable {
        var kind: LineKind
        var oldIndex: Int
        var newIndex: Int
    }

    /// A shortest edit script from `a` to `b`: common head and tail kept, the middle by longest common subsequence
    /// (replaced whole when it is too large to compare line by line).
    static func editScript(_ a: [String], _ b: [String]) -> [Op] {
        var head = 0
        while head < a.count, head < b.count, a[head] == b[head] { head += 1 }
        var tail = 0
        while tail < a.count - head, tail < b.count - head, a[a.count - 1 - tail] == b[b.count - 1 - tail] { tail += 1 }
        var ops: [Op] = (0..<head).map { Op(kind: .context, oldIndex: $0, newIndex: $0) }
        let oldMiddle = head..<(a.count - tail)
        let newMiddle = head..<(b.count - tail)
        let n = oldMiddle.count
        let m = newMiddle.count
        if n > 0, m > 0, n * m <= maxTableCells {
            // lengths[i][j]: the longest common subsequence of a[oldMiddle][i...] and b[newMiddle][j...].
            let width = m + 1
            var lengths = [Int32](repeating: 0, count: (n + 1) * width)
            for i in stride(from: n - 1, through: 0, by: -1) {
                for j in stride(from: m - 1, through: 0, by: -1) {
                    lengths[i * width + j] = a[head + i] == b[head + j]
                        ? lengths[(i + 1) * width + j + 1] + 1
                        : max(lengths[(i + 1) * width + j], lengths[i * width + j + 1])
                }
            }
            var i = 0
            var j = 0
            while i < n || j < m {
                if i < n, j < m, a[head + i] == b[head + j] {
                    ops.append(Op(kind: .context, oldIndex: head + i, newIndex: head + j))
                    i += 1
                    j += 1
                } else if j < m, i == n || lengths[i * width + j + 1] >= lengths[(i + 1) * width + j] {
                    ops.append(Op(kind: .added, oldIndex: head + i, newIndex: head + j))
                    j += 1
                } else {
                    ops.append(Op(kind: .removed, oldIndex: head + i, newIndex: head + j))
                    i += 1
                }
            }
        } else {
            ops += oldMiddle.map { Op(kind: .removed, oldIndex: $0, newIndex: head) }
            ops += newMiddle.map { Op(kind: .added, oldIndex: head + n, newIndex: $0) }
        }
        ops += (0..<tail).map { Op(kind: .context, oldIndex: a.count - tail + $0, newIndex: b.count - tail + $0) }
        return reorderingRemovalsFirst(ops)
    }

    /// Within each run of changes, removed lines before added ones, as `diff -u` prints them.
    private static func reorderingRemovalsFirst(_ ops: [Op]) -> [Op] {
        var out: [Op] = []
        var run: [Op] = []
        func flush() {
            out += run.filter { $0.kind == .removed } + run.filter { $0.kind == .added }
            run.removeAll()
        }
        for op in ops {
            if op.kind == .context {
                flush()
                out.append(op)
            } else {
                run.append(op)
            }
        }
        flush()
        return out
    }

    /// Groups an edit script into hunks: each change with `context` kept lines around it, hunks whose context
    /// would touch merged.
    static func hunks(_ ops: [Op], context: Int) -> [[Op]] {
        let changes = ops.indices.filter { ops[$0].kind != .context }
        guard let first = changes.first else { return [] }
        var groups: [ClosedRange<Int>] = []
        var start = first
        var end = first
        for index in changes.dropFirst() {
            if index - end > 2 * context {
                groups.append(start...end)
                start = index
            }
            end = index
        }
        groups.append(start...end)
        return groups.map { group in
            Array(ops[max(0, group.lowerBound - context)...min(ops.count - 1, group.upperBound + context)])
        }
    }

    /// Two long single-line texts cut down to what changed: the differing middle of each (at most `width`
    /// characters) with `keep` characters of the common text on either side, `…` where text was left out.
    /// Texts of at most `width` characters come back as they are.
    public static func shortened(_ old: String, _ new: String, width: Int = 80, keep: Int = 20) -> (old: String, new: String) {
        let a = Array(old)
        let b = Array(new)
        guard a.count > width || b.count > width else { return (old, new) }
        var prefix = 0
        while prefix < a.count, prefix < b.count, a[prefix] == b[prefix] { prefix += 1 }
        var suffix = 0
        while suffix < a.count - prefix, suffix < b.count - prefix, a[a.count - 1 - suffix] == b[b.count - 1 - suffix] { suffix += 1 }
        func cut(_ chars: [Character]) -> String {
            let from = max(0, prefix - keep)
            let to = min(chars.count, chars.count - suffix + keep)
            var middle = Array(chars[prefix..<(chars.count - suffix)])
            var text = from > 0 ? "…" : ""
            text += String(chars[from..<prefix])
            if middle.count > width {
                middle = Array(middle.prefix(width / 2)) + ["…"] + Array(middle.suffix(width / 2))
            }
            text += String(middle)
            text += String(chars[(chars.count - suffix)..<to])
            if to < chars.count { text += "…" }
            return text
        }
        return (cut(a), cut(b))
    }
}
