/// Changes valid inputs into nearly valid ones: truncations, flipped bytes, inserted and repeated slices, tokens of
/// the input's grammar (brackets, quotes, anchors, aliases, interpolations), deep nesting and huge numbers.
public struct FuzzMutator: Sendable {
    /// Fragments worth inserting: the grammar's punctuation and known troublemakers.
    public var tokens: [[UInt8]]

    public init(tokens: [String]) {
        self.tokens = tokens.map { Array($0.utf8) }
    }

    /// Tokens for YAML and JSON manifests.
    public static let yaml = FuzzMutator(tokens: [
        "[", "]", "{", "}", "\"", "'", ",", ":", ": ", "- ", "? ", "\n", "\n  ", "  ", "\t", "#", "|", ">", "---\n", "...\n",
        "&a ", "*a", "&b [*a, *a, *a, *a]", "*b", "<<: *a", "!!int ", "!!str ", "!!binary ", "!", "%YAML 1.1\n",
        "${", "}", "$${", "${var.x}", "${each.value}", "${count.index}", "${a.b[0]}", "${env.HOME}",
        "99999999999999999999999999999", "-0x7fffffffffffffff", "1e99999", "0o777", ".inf", ".nan", "1_000",
        "~", "null", "yes", "\u{0}", "\u{FEFF}", "é", "\u{2028}", "\\u0000", "\\", "\r\n",
        "for_each: ", "count: ", "type: ", "properties: ", "resources:\n", "depends_on: ", "variables:\n",
    ])

    /// Tokens for JSON and XML response bodies.
    public static let markup = FuzzMutator(tokens: [
        "{", "}", "[", "]", "\"", ":", ",", "null", "true", "-", "1e400", "99999999999999999999999", "\\u", "\\ud800",
        "\\", "<", ">", "</", "/>", "<a>", "</a>", "<item>", "<![CDATA[", "]]>", "&amp;", "&#0;", "&x;", "<!DOCTYPE a [",
        "<?xml version=\"1.0\"?>", "xmlns:a=\"b\"", "=", "'", " ", "\u{0}", "é",
    ])

    /// `input` changed in one place, or now and then in up to four.
    public func mutate(_ input: [UInt8], corpus: [[UInt8]], random: inout FuzzRandom) -> [UInt8] {
        var bytes = input
        let changes = random.below(3) == 0 ? 2 + random.below(3) : 1
        for _ in 0..<changes {
            bytes = mutateOnce(bytes, corpus: corpus, random: &random)
        }
        return bytes
    }

    private func mutateOnce(_ input: [UInt8], corpus: [[UInt8]], random: inout FuzzRandom) -> [UInt8] {
        var bytes = input
        let at = random.below(bytes.count + 1)
        switch random.below(10) {
        case 0: // truncate
            bytes.removeSubrange(at...)
        case 1: // flip a bit
            if !bytes.isEmpty { bytes[at % bytes.count] ^= UInt8(1 << random.below(8)) }
        case 2: // a random byte
            bytes.insert(UInt8(truncatingIfNeeded: random.next()), at: at)
        case 3, 4: // a token of the grammar
            if !tokens.isEmpty { bytes.insert(contentsOf: tokens[random.below(tokens.count)], at: at) }
        case 5: // delete a slice
            let end = min(bytes.count, at + 1 + random.below(16))
            if at < end { bytes.removeSubrange(at..<end) }
        case 6: // repeat a slice
            let end = min(bytes.count, at + 1 + random.below(32))
            if at < end { bytes.insert(contentsOf: Array(bytes[at..<end]), at: end) }
        case 7: // splice in part of another input
            let other = corpus.isEmpty ? [] : corpus[random.below(corpus.count)]
            let start = random.below(other.count + 1)
            let end = min(other.count, start + random.below(64))
            bytes.insert(contentsOf: Array(other[start..<end]), at: at)
        case 8: // deep nesting
            let open = [UInt8]("[{".utf8)[random.below(2)]
            let depth = 1 + random.below(600)
            bytes.insert(contentsOf: [UInt8](repeating: open, count: depth), at: at)
        default: // a long run of digits or text
            let fill = [UInt8]("9a \"".utf8)[random.below(4)]
            bytes.insert(contentsOf: [UInt8](repeating: fill, count: 1 + random.below(5_000)), at: at)
        }
        return bytes
    }
}
