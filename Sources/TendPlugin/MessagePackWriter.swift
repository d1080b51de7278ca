/// Writes msgpack: every format of the specification, integers and lengths in their shortest form (as the Go
/// msgpack library that cty uses writes them), so the same value always gives the same bytes.
public struct MessagePackWriter: Sendable {
    /// What has been written so far.
    public private(set) var bytes: [UInt8] = []

    /// A writer with nothing written.
    public init() {}

    /// Writes one value read by `MessagePackReader`, or built by hand.
    public mutating func write(_ value: MessagePackValue) {
        switch value {
        case .nil: writeNil()
        case let .bool(flag): writeBool(flag)
        case let .int(number): writeInt(number)
        case let .uint(number): writeUInt(number)
        case let .float(number): writeFloat(number)
        case let .double(number): writeDouble(number)
        case let .string(text): writeString(text)
        case let .binary(data): writeBinary(data)
        case let .array(items):
            writeArrayHeader(count: items.count)
            for item in items { write(item) }
        case let .map(entries):
            writeMapHeader(count: entries.count)
            for entry in entries {
                write(entry.key)
                write(entry.value)
            }
        case let .ext(type, data): writeExtension(type: type, data: data)
        }
    }

    /// nil: `c0`.
    public mutating func writeNil() { bytes.append(0xc0) }

    /// `c2` for false, `c3` for true.
    public mutating func writeBool(_ flag: Bool) { bytes.append(flag ? 0xc3 : 0xc2) }

    /// A signed integer: non-negative ones as unsigned (fixint, uint8…uint64), negative ones as the negative fixint
    /// or the shortest of int8…int64.
    public mutating func writeInt(_ number: Int64) {
        if number >= 0 { return writeUInt(UInt64(number)) }
        if number >= -32 {
            bytes.append(UInt8(truncatingIfNeeded: number))
        } else if number >= Int64(Int8.min) {
            bytes.append(0xd0)
            append(UInt8(truncatingIfNeeded: number), width: 1)
        } else if number >= Int64(Int16.min) {
            bytes.append(0xd1)
            append(UInt64(truncatingIfNeeded: number), width: 2)
        } else if number >= Int64(Int32.min) {
            bytes.append(0xd2)
            append(UInt64(truncatingIfNeeded: number), width: 4)
        } else {
            bytes.append(0xd3)
            append(UInt64(truncatingIfNeeded: number), width: 8)
        }
    }

    /// An unsigned integer in the shortest of positive fixint, uint8, uint16, uint32 and uint64.
    public mutating func writeUInt(_ number: UInt64) {
        if number <= 0x7f {
            bytes.append(UInt8(number))
        } else if number <= UInt64(UInt8.max) {
            bytes.append(0xcc)
            append(number, width: 1)
        } else if number <= UInt64(UInt16.max) {
            bytes.append(0xcd)
            append(number, width: 2)
        } else if number <= UInt64(UInt32.max) {
            bytes.append(0xce)
            append(number, width: 4)
        } else {
            bytes.append(0xcf)
            append(number, width: 8)
        }
    }

    /// A float32: `ca` and the big-endian bits.
    public mutating func writeFloat(_ number: Float) {
        bytes.append(0xca)
        append(UInt64(number.bitPattern), width: 4)
    }

    /// A float64: `cb` and the big-endian bits.
    public mutating func writeDouble(_ number: Double) {
        bytes.append(0xcb)
        append(number.bitPattern, width: 8)
    }

    /// UTF-8 text as fixstr, str8, str16 or str32.
    public mutating func writeString(_ text: String) {
        let utf8 = Array(text.utf8)
        writeHeader(count: utf8.count, fixed: (0xa0, 31), formats: (0xd9, 0xda, 0xdb))
        bytes.append(contentsOf: utf8)
    }

    /// Bytes as bin8, bin16 or bin32.
    public mutating func writeBinary(_ data: [UInt8]) {
        writeHeader(count: data.count, fixed: nil, formats: (0xc4, 0xc5, 0xc6))
        bytes.append(contentsOf: data)
    }

    /// The header of an array of `count` items, which the caller writes next.
    public mutating func writeArrayHeader(count: Int) {
        writeHeader(count: count, fixed: (0x90, 15), formats: nil)
    }

    /// The header of a map of `count` entries, whose keys and values the caller writes next, in turn.
    public mutating func writeMapHeader(count: Int) {
        writeHeader(count: count, fixed: (0x80, 15), formats: nil, wide: (0xde, 0xdf))
    }

    /// An extension: fixext1…fixext16 for those sizes, otherwise ext8, ext16 or ext32.
    public mutating func writeExtension(type: Int8, data: [UInt8]) {
        switch data.count {
        case 1: bytes.append(0xd4)
        case 2: bytes.append(0xd5)
        case 4: bytes.append(0xd6)
        case 8: bytes.append(0xd7)
        case 16: bytes.append(0xd8)
        default: writeHeader(count: data.count, fixed: nil, formats: (0xc7, 0xc8, 0xc9))
        }
        bytes.append(UInt8(bitPattern: type))
        bytes.append(contentsOf: data)
    }

    /// A length header: the fixed form when it fits, else the 8-, 16- or 32-bit one (arrays and maps have no 8-bit
    /// form: `wide` gives their 16- and 32-bit markers).
    private mutating func writeHeader(count: Int, fixed: (marker: UInt8, limit: Int)?,
                                      formats: (UInt8, UInt8, UInt8)?, wide: (UInt8, UInt8) = (0xdc, 0xdd)) {
        if let fixed, count <= fixed.limit {
            bytes.append(fixed.marker | UInt8(count))
        } else if let formats, count <= Int(UInt8.max) {
            bytes.append(formats.0)
            append(UInt64(count), width: 1)
        } else if count <= Int(UInt16.max) {
            bytes.append(formats?.1 ?? wide.0)
            append(UInt64(count), width: 2)
        } else {
            bytes.append(formats?.2 ?? wide.1)
            append(UInt64(count), width: 4)
        }
    }

    /// The low `width` bytes of `number`, big-endian.
    private mutating func append<N: FixedWidthInteger>(_ number: N, width: Int) {
        let wide = UInt64(truncatingIfNeeded: number)
        for shift in stride(from: (width - 1) * 8, through: 0, by: -8) {
            bytes.append(UInt8(truncatingIfNeeded: wide >> UInt64(shift)))
        }
    }
}
