import Foundation
import TendModel

/// Writes JSON with commas and indentation handled: containers opened `compact` (and all they hold)
/// go on one line, others put each member on its own indented line. Keys are written in the order
/// given, so callers write them sorted.
struct JSONEmitter {
    private(set) var buffer: OutputBuffer
    /// For each open container: whether it has a member yet, and whether it is compact.
    private var frames: [(hasMember: Bool, isCompact: Bool)] = []

    init(reservingCapacity capacity: Int) {
        buffer = OutputBuffer(reservingCapacity: capacity)
    }

    var text: String { buffer.text }

    mutating func beginObject(compact: Bool = false) { open("{", compact: compact) }
    mutating func endObject() { close("}") }
    mutating func beginArray(compact: Bool = false) { open("[", compact: compact) }
    mutating func endArray() { close("]") }

    /// Starts an object member: separator, indentation and `"name": `.
    mutating func key(_ name: String) {
        separate()
        buffer.appendJSONString(name)
        buffer.append(isCompact ? ":" : ": ")
    }

    /// Starts an array element.
    mutating func element() { separate() }

    mutating func string(_ text: String?) {
        if let text { buffer.appendJSONString(text) } else { buffer.append("null") }
    }

    mutating func integer(_ number: Int64?) {
        if let number { buffer.append(number) } else { buffer.append("null") }
    }

    mutating func integer(_ number: Int) { buffer.append(number) }

    /// A finite number as tend formats numbers; anything else as 0.
    mutating func number(_ number: Double) {
        buffer.append(Number(number)?.description ?? "0")
    }

    mutating func value(_ value: Value?) {
        if let value { buffer.appendJSON(value) } else { buffer.append("null") }
    }

    mutating func date(_ date: Date?) {
        string(date.map(ReportDate.iso8601))
    }

    mutating func null() { buffer.append("null") }

    /// Ends the document with a newline.
    mutating func finish() { buffer.append("\n") }

    mutating func field(_ name: String, string text: String?) { key(name); string(text) }
    mutating func field(_ name: String, integer number: Int) { key(name); integer(number) }
    mutating func field(_ name: String, integer number: Int64?) { key(name); integer(number) }
    mutating func field(_ name: String, date value: Date?) { key(name); date(value) }
    mutating func field(_ name: String, value: Value?) { key(name); self.value(value) }

    private var isCompact: Bool { frames.last?.isCompact ?? false }

    private mutating func open(_ bracket: String, compact: Bool) {
        buffer.append(bracket)
        frames.append((hasMember: false, isCompact: compact || isCompact))
    }

    private mutating func close(_ bracket: String) {
        guard let frame = frames.popLast() else { return }
        if frame.hasMember, !frame.isCompact { newline(depth: frames.count) }
        buffer.append(bracket)
    }

    private mutating func separate() {
        guard let last = frames.indices.last else { return }
        if frames[last].hasMember { buffer.append(",") }
        frames[last].hasMember = true
        if !frames[last].isCompact { newline(depth: frames.count) }
    }

    private mutating func newline(depth: Int) {
        buffer.append("\n")
        buffer.append(String(repeating: "  ", count: depth))
    }
}
