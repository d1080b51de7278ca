#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The UTF-8 bytes of a manifest with a cursor that finds a line and column by moving forward from where it last
/// stopped. Scalars arrive in document order, so finding every one of them costs one pass over the text, not one pass
/// over its line per scalar (which made a long one-line flow list quadratic).
struct SourceText {
    private let bytes: UnsafeBufferPointer<UInt8>
    /// Byte offset where each line starts; lines end at "\n", as diagnostics show them.
    private let lineStarts: [Int]
    private var cursorLine = 1
    private var cursorColumn = 1
    private var cursorOffset = 0

    init(bytes: UnsafeBufferPointer<UInt8>, count: Int) {
        self.bytes = UnsafeBufferPointer(rebasing: bytes.prefix(count))
        lineStarts = SourceText.lineStarts(of: self.bytes)
    }

    /// Byte offsets where lines start, found with memchr: a string of megabytes is one long scan, not a loop per byte.
    static func lineStarts(of bytes: UnsafeBufferPointer<UInt8>) -> [Int] {
        var starts = [0]
        guard let base = bytes.baseAddress else { return starts }
        var offset = 0
        while offset < bytes.count, let found = memchr(base + offset, 0x0A, bytes.count - offset) {
            offset = UnsafeRawPointer(found) - UnsafeRawPointer(base) + 1
            starts.append(offset)
        }
        return starts
    }

    /// The byte offset of a 1-based line and column (in unicode scalars), or nil past the line's end.
    mutating func offset(line: Int, column: Int) -> Int? {
        guard line >= 1, line <= lineStarts.count, column >= 1 else { return nil }
        if line != cursorLine || column < cursorColumn {
            cursorLine = line
            cursorColumn = 1
            cursorOffset = lineStarts[line - 1]
        }
        let lineEnd = line < lineStarts.count ? lineStarts[line] - 1 : bytes.count
        while cursorColumn < column {
            guard cursorOffset < lineEnd else { return nil }
            cursorOffset = nextScalar(after: cursorOffset)
            cursorColumn += 1
        }
        return cursorOffset <= lineEnd ? cursorOffset : nil
    }

    /// Where `content` starts on its line when it is written there exactly as it reads (at the mark, or one
    /// character on, past a quote); nil otherwise.
    mutating func contentColumn(of content: String, line: Int, column: Int) -> Int? {
        guard let start = offset(line: line, column: column) else { return nil }
        if matches(content, at: start) { return column }
        let lineEnd = line < lineStarts.count ? lineStarts[line] - 1 : bytes.count
        guard start < lineEnd else { return nil }
        return matches(content, at: nextScalar(after: start)) ? column + 1 : nil
    }

    private func matches(_ content: String, at offset: Int) -> Bool {
        var content = content
        return content.withUTF8 { wanted in
            guard offset + wanted.count <= bytes.count, let base = bytes.baseAddress else { return false }
            guard let start = wanted.baseAddress else { return true }
            return memcmp(base + offset, start, wanted.count) == 0
        }
    }

    private func nextScalar(after offset: Int) -> Int {
        var next = offset + 1
        while next < bytes.count, bytes[next] & 0xC0 == 0x80 { next += 1 }
        return next
    }
}
