/// Reads msgpack from untrusted bytes. Every length is checked against what is left before anything is allocated,
/// nesting is limited, and every problem is a thrown `PluginValueError` with a code and the byte offset: no input
/// crashes, hangs or exhausts memory.
public struct MessagePackReader: Sendable {
    /// The deepest nesting of arrays, maps and the values inside them that `readValue` accepts.
    public static let defaultMaximumDepth = 512

    /// The whole input.
    public let bytes: [UInt8]
    /// Where the next value starts.
    public private(set) var offset = 0
    /// The deepest nesting accepted.
    public let maximumDepth: Int

    /// A reader at the start of `bytes`.
    public init(_ bytes: [UInt8], maximumDepth: Int = MessagePackReader.defaultMaximumDepth) {
        self.bytes = bytes
        self.maximumDepth = maximumDepth
    }

    /// Reads exactly one value: trailing bytes are an error.
    public static func read(_ bytes: [UInt8], maximumDepth: Int = defaultMaximumDepth) throws(PluginValueError) -> MessagePackValue {
        var reader = MessagePackReader(bytes, maximumDepth: maximumDepth)
        let value = try reader.readValue()
        guard reader.isAtEnd else {
            throw PluginValueError(.trailingBytes, "\(reader.bytes.count - reader.offset) bytes after the value",
                                   offset: reader.offset)
        }
        return value
    }

    /// Whether every byte has been read.
    public var isAtEnd: Bool { offset >= bytes.count }

    /// Reads the next value.
    public mutating func readValue() throws(PluginValueError) -> MessagePackValue {
        try readValue(depth: 0)
    }

    private mutating func readValue(depth: Int) throws(PluginValueError) -> MessagePackValue {
        guard depth < maximumDepth else {
            throw PluginValueError(.tooDeep, "nested more than \(maximumDepth) levels deep", offset: offset)
        }
        let start = offset
        let marker = try readByte()
        switch marker {
        case 0x00...0x7f: return .uint(UInt64(marker))
        case 0x80...0x8f: return try readMap(count: Int(marker & 0x0f), depth: depth)
        case 0x90...0x9f: return try readArray(count: Int(marker & 0x0f), depth: depth)
        case 0xa0...0xbf: return try readString(count: Int(marker & 0x1f), start: start)
        case 0xc0: return .nil
        case 0xc2: return .bool(false)
        case 0xc3: return .bool(true)
        case 0xc4, 0xc5, 0xc6: return .binary(try readSlice(count: try readLength(marker - 0xc4)))
        case 0xc7, 0xc8, 0xc9: return try readExtension(count: try readLength(marker - 0xc7))
        case 0xca: return .float(Float(bitPattern: UInt32(try readUnsigned(width: 4))))
        case 0xcb: return .double(Double(bitPattern: try readUnsigned(width: 8)))
        case 0xcc, 0xcd, 0xce, 0xcf: return .uint(try readUnsigned(width: 1 << Int(marker - 0xcc)))
        case 0xd0, 0xd1, 0xd2, 0xd3: return .int(try readSigned(width: 1 << Int(marker - 0xd0)))
        case 0xd4, 0xd5, 0xd6, 0xd7, 0xd8: return try readExtension(count: 1 << Int(marker - 0xd4))
        case 0xd9, 0xda, 0xdb: return try readString(count: try readLength(marker - 0xd9), start: start)
        case 0xdc, 0xdd: return try readArray(count: try readLength(marker - 0xdc + 1), depth: depth)
        case 0xde, 0xdf: return try readMap(count: try readLength(marker - 0xde + 1), depth: depth)
        case 0xe0...0xff: return .int(Int64(Int8(bitPattern: marker)))
        default: throw PluginValueError(.malformed, "0x\(String(marker, radix: 16)) starts no msgpack value", offset: start)
        }
    }

    private mutating func readArray(count: Int, depth: Int) throws(PluginValueError) -> MessagePackValue {
        // Each item takes at least one byte: a count beyond what is left is refused before anything is reserved.
        try requireRemaining(count, what: "array of \(count) items")
        var items: [MessagePackValue] = []
        items.reserveCapacity(count)
        for _ in 0..<count { items.append(try readValue(depth: depth + 1)) }
        return .array(items)
    }

    private mutating func readMap(count: Int, depth: Int) throws(PluginValueError) -> MessagePackValue {
        let (needed, overflow) = count.multipliedReportingOverflow(by: 2)
        try requireRemaining(overflow ? Int.max : needed, what: "map of \(count) entries")
        var entries: [MessagePackValue.Entry] = []
        entries.reserveCapacity(count)
        for _ in 0..<count {
            let key = try readValue(depth: depth + 1)
            let value = try readValue(depth: depth + 1)
            entries.append(MessagePackValue.Entry(key: key, value: value))
        }
        return .map(entries)
    }

    private mutating func readString(count: Int, start: Int) throws(PluginValueError) -> MessagePackValue {
        let data = try readSlice(count: count)
        guard let text = String(validating: data, as: UTF8.self) else {
            throw PluginValueError(.invalidUTF8, "a string that is not UTF-8", offset: start)
        }
        return .string(text)
    }

    private mutating func readExtension(count: Int) throws(PluginValueError) -> MessagePackValue {
        let type = Int8(bitPattern: try readByte())
        return .ext(type: type, data: try readSlice(count: count))
    }

    /// A length of 1, 2 or 4 bytes (`widthCode` 0, 1 or 2).
    private mutating func readLength(_ widthCode: UInt8) throws(PluginValueError) -> Int {
        Int(try readUnsigned(width: 1 << Int(widthCode)))
    }

    private mutating func readByte() throws(PluginValueError) -> UInt8 {
        guard offset < bytes.count else { throw PluginValueError(.truncated, "the input ends inside a value", offset: offset) }
        defer { offset += 1 }
        return bytes[offset]
    }

    private mutating func readUnsigned(width: Int) throws(PluginValueError) -> UInt64 {
        try requireRemaining(width, what: "\(width)-byte number")
        var number: UInt64 = 0
        for index in offset..<(offset + width) { number = number << 8 | UInt64(bytes[index]) }
        offset += width
        return number
    }

    private mutating func readSigned(width: Int) throws(PluginValueError) -> Int64 {
        let raw = try readUnsigned(width: width)
        // Sign-extend from the width read.
        let shift = UInt64(64 - width * 8)
        return Int64(bitPattern: raw << shift) >> Int64(shift)
    }

    private mutating func readSlice(count: Int) throws(PluginValueError) -> [UInt8] {
        try requireRemaining(count, what: "\(count)-byte payload")
        defer { offset += count }
        return Array(bytes[offset..<(offset + count)])
    }

    private func requireRemaining(_ count: Int, what: String) throws(PluginValueError) {
        guard count <= bytes.count - offset else {
            throw PluginValueError(.truncated, "\(what) but only \(bytes.count - offset) bytes left", offset: offset)
        }
    }
}
