import CYaml

/// libyaml's event stream over one text, as Swift values. The composer builds nodes from these events itself, so
/// aliases, depth and string sizes are checked before anything is expanded or copied (Yams' composer would hash and
/// copy an alias bomb's keys first).
final class YAMLEventReader {
    /// A place in the text: 1-based line and column (in characters, as libyaml counts them).
    struct Mark: Sendable, Equatable {
        var line: Int
        var column: Int
    }

    /// One scalar's text and how it was written.
    struct Scalar {
        var text: String
        var anchor: String?
        /// The explicit tag, or `tag:yaml.org,2002:str` for a quoted scalar without one; nil for a plain one.
        var tag: String?
        var isPlain: Bool
        /// UTF-8 bytes of the text, known before the text is copied.
        var byteCount: Int
    }

    enum Event {
        case streamStart, streamEnd, documentStart, documentEnd
        case alias(String)
        case scalar(Scalar)
        case sequenceStart(anchor: String?)
        case sequenceEnd
        case mappingStart(anchor: String?)
        case mappingEnd
    }

    /// Why libyaml stopped: the problem, what it was parsing, and where.
    struct SyntaxError: Error {
        enum Kind { case reader, scanner, parser, memory }
        var kind: Kind
        var problem: String
        var context: String?
        var mark: Mark
    }

    /// The UTF-8 bytes of the text; libyaml reads them in place.
    let bytes: UnsafeMutableBufferPointer<UInt8>
    private var parser = yaml_parser_t()
    /// Scalars longer than this are not copied out of libyaml; `next()` reports their size only.
    private let maximumStringBytes: Int

    init(text: String, maximumStringBytes: Int) {
        let utf8 = text.utf8
        bytes = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(utf8.count, 1))
        _ = bytes.initialize(from: utf8)
        self.maximumStringBytes = maximumStringBytes
        yaml_parser_initialize(&parser)
        yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
        yaml_parser_set_input_string(&parser, bytes.baseAddress, utf8.count)
    }

    deinit {
        yaml_parser_delete(&parser)
        bytes.deallocate()
    }

    /// The next event and where it starts.
    func next() throws(SyntaxError) -> (Event, Mark) {
        var event = yaml_event_t()
        guard yaml_parser_parse(&parser, &event) == 1 else { throw syntaxError() }
        defer { yaml_event_delete(&event) }
        let mark = Mark(line: Int(event.start_mark.line) + 1, column: Int(event.start_mark.column) + 1)
        switch event.type {
        case YAML_STREAM_START_EVENT: return (.streamStart, mark)
        case YAML_STREAM_END_EVENT: return (.streamEnd, mark)
        case YAML_DOCUMENT_START_EVENT: return (.documentStart, mark)
        case YAML_DOCUMENT_END_EVENT: return (.documentEnd, mark)
        case YAML_ALIAS_EVENT: return (.alias(Self.string(event.data.alias.anchor) ?? ""), mark)
        case YAML_SCALAR_EVENT: return (.scalar(scalar(of: event)), mark)
        case YAML_SEQUENCE_START_EVENT: return (.sequenceStart(anchor: Self.string(event.data.sequence_start.anchor)), mark)
        case YAML_SEQUENCE_END_EVENT: return (.sequenceEnd, mark)
        case YAML_MAPPING_START_EVENT: return (.mappingStart(anchor: Self.string(event.data.mapping_start.anchor)), mark)
        case YAML_MAPPING_END_EVENT: return (.mappingEnd, mark)
        default: return (.streamEnd, mark)
        }
    }

    private func scalar(of event: yaml_event_t) -> Scalar {
        let data = event.data.scalar
        let count = Int(data.length)
        var text = ""
        if count <= maximumStringBytes, let value = data.value {
            text = String(decoding: UnsafeBufferPointer(start: value, count: count), as: UTF8.self)
        }
        let tag = data.quoted_implicit == 1 ? "tag:yaml.org,2002:str" : Self.string(data.tag)
        let isPlain = data.style == YAML_PLAIN_SCALAR_STYLE || data.style == YAML_ANY_SCALAR_STYLE
        return Scalar(text: text, anchor: Self.string(data.anchor), tag: tag, isPlain: isPlain, byteCount: count)
    }

    private func syntaxError() -> SyntaxError {
        let problem = parser.problem.map { String(cString: $0) } ?? "cannot parse"
        let context = parser.context.map { String(cString: $0) }
        switch parser.error {
        case YAML_READER_ERROR:
            return SyntaxError(kind: .reader, problem: problem, context: nil, mark: mark(atByte: Int(parser.problem_offset)))
        case YAML_SCANNER_ERROR, YAML_PARSER_ERROR:
            let kind: SyntaxError.Kind = parser.error == YAML_SCANNER_ERROR ? .scanner : .parser
            return SyntaxError(kind: kind, problem: problem, context: context,
                               mark: Mark(line: Int(parser.problem_mark.line) + 1, column: Int(parser.problem_mark.column) + 1))
        default:
            return SyntaxError(kind: .memory, problem: "out of memory", context: nil, mark: Mark(line: 1, column: 1))
        }
    }

    /// The line and column of a byte offset, for reader errors (which libyaml reports as an offset).
    private func mark(atByte offset: Int) -> Mark {
        var line = 1, column = 1
        for byte in bytes.prefix(max(0, offset)) {
            if byte == 0x0A {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
        }
        return Mark(line: line, column: column)
    }

    private static func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        pointer.map { String(cString: UnsafePointer($0)) }
    }
}
