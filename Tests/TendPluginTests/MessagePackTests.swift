import TendPlugin
import Testing

/// The msgpack writer writes every format in its shortest form, byte for byte, and the reader reads them all back.
@Suite struct MessagePackTests {
    @Test(arguments: [
        (MessagePackValue.nil, "c0"), (.bool(false), "c2"), (.bool(true), "c3"),
        (.uint(0), "00"), (.uint(127), "7f"), (.uint(128), "cc 80"), (.uint(255), "cc ff"), (.uint(256), "cd 01 00"),
        (.uint(65_536), "ce 00 01 00 00"), (.uint(UInt64(UInt32.max) + 1), "cf 00 00 00 01 00 00 00 00"),
        (.uint(UInt64.max), "cf ff ff ff ff ff ff ff ff"),
        (.int(-1), "ff"), (.int(-32), "e0"), (.int(-33), "d0 df"), (.int(-128), "d0 80"),
        (.int(-129), "d1 ff 7f"), (.int(-32_769), "d2 ff ff 7f ff"), (.int(Int64(Int32.min) - 1), "d3 ff ff ff ff 7f ff ff ff"),
        (.int(Int64.min), "d3 80 00 00 00 00 00 00 00"),
        (.float(1.5), "ca 3f c0 00 00"), (.double(0.5), "cb 3f e0 00 00 00 00 00 00"),
        (.string(""), "a0"), (.string("hi"), "a2 68 69"),
        (.binary([1, 2]), "c4 02 01 02"),
        (.array([]), "90"), (.array([.uint(1), .nil]), "92 01 c0"),
        (.map([MessagePackValue.Entry(key: .string("a"), value: .bool(true))]), "81 a1 61 c3"),
        (.ext(type: 0, data: [0]), "d4 00 00"), (.ext(type: 1, data: [1, 2]), "d5 01 01 02"),
        (.ext(type: 2, data: [1, 2, 3, 4]), "d6 02 01 02 03 04"), (.ext(type: 3, data: Array(repeating: 7, count: 8)),
                                                                  "d7 03 07 07 07 07 07 07 07 07"),
        (.ext(type: -1, data: Array(repeating: 0, count: 16)), "d8 ff" + String(repeating: " 00", count: 16)),
        (.ext(type: 12, data: [1, 2, 3]), "c7 03 0c 01 02 03"), (.ext(type: 5, data: []), "c7 00 05"),
    ])
    func writesTheShortestFormAndReadsItBack(value: MessagePackValue, expected: String) throws {
        var writer = MessagePackWriter()
        writer.write(value)
        #expect(hexText(writer.bytes) == hexText(hex(expected)))
        #expect(try MessagePackReader.read(writer.bytes) == value)
    }

    /// Go's msgpack writes a non-negative int as the unsigned formats; it reads back as unsigned.
    @Test func nonNegativeSignedIntegersAreWrittenUnsigned() throws {
        var writer = MessagePackWriter()
        writer.writeInt(5)
        writer.writeInt(300)
        #expect(writer.bytes == hex("05 cd 01 2c"))
        var reader = MessagePackReader(writer.bytes)
        #expect(try reader.readValue() == .uint(5))
        #expect(try reader.readValue() == .uint(300))
        #expect(reader.isAtEnd)
    }

    @Test(arguments: [(31, "bf"), (32, "d9 20"), (255, "d9 ff"), (256, "da 01 00"), (65_536, "db 00 01 00 00")])
    func stringLengthsPickTheirFormat(length: Int, header: String) throws {
        var writer = MessagePackWriter()
        let text = String(repeating: "x", count: length)
        writer.writeString(text)
        #expect(Array(writer.bytes.prefix(hex(header).count)) == hex(header))
        #expect(writer.bytes.count == hex(header).count + length)
        #expect(try MessagePackReader.read(writer.bytes) == .string(text))
    }

    @Test(arguments: [(255, "c4 ff"), (256, "c5 01 00"), (65_536, "c6 00 01 00 00")])
    func binaryLengthsPickTheirFormat(length: Int, header: String) throws {
        var writer = MessagePackWriter()
        writer.writeBinary(Array(repeating: 9, count: length))
        #expect(Array(writer.bytes.prefix(hex(header).count)) == hex(header))
        #expect(try MessagePackReader.read(writer.bytes) == .binary(Array(repeating: 9, count: length)))
    }

    @Test(arguments: [(15, "9f"), (16, "dc 00 10"), (65_536, "dd 00 01 00 00")])
    func arrayLengthsPickTheirFormat(count: Int, header: String) throws {
        var writer = MessagePackWriter()
        writer.write(.array(Array(repeating: .nil, count: count)))
        #expect(Array(writer.bytes.prefix(hex(header).count)) == hex(header))
        #expect(try MessagePackReader.read(writer.bytes) == .array(Array(repeating: .nil, count: count)))
    }

    @Test(arguments: [(15, "8f"), (16, "de 00 10"), (65_536, "df 00 01 00 00")])
    func mapLengthsPickTheirFormat(count: Int, header: String) throws {
        let entries = (0..<count).map { MessagePackValue.Entry(key: .uint(UInt64($0)), value: .nil) }
        var writer = MessagePackWriter()
        writer.write(.map(entries))
        #expect(Array(writer.bytes.prefix(hex(header).count)) == hex(header))
        #expect(try MessagePackReader.read(writer.bytes) == .map(entries))
    }

    @Test(arguments: [
        ("d0 80", MessagePackValue.int(-128)), ("d1 80 00", .int(-32_768)), ("d2 80 00 00 00", .int(Int64(Int32.min))),
        ("d0 05", .int(5)), ("cc 05", .uint(5)), ("ca 7f 80 00 00", .float(.infinity)),
        ("c8 00 01 07 aa", .ext(type: 7, data: [0xaa])), ("c9 00 00 00 01 07 aa", .ext(type: 7, data: [0xaa])),
        ("d9 01 41", .string("A")), ("da 00 01 41", .string("A")), ("db 00 00 00 01 41", .string("A")),
        ("c5 00 01 41", .binary([0x41])), ("c6 00 00 00 01 41", .binary([0x41])),
        ("dc 00 01 c0", .array([.nil])), ("dd 00 00 00 01 c0", .array([.nil])),
    ])
    func readsLongerFormsThanItWrites(bytes: String, expected: MessagePackValue) throws {
        #expect(try MessagePackReader.read(hex(bytes)) == expected)
    }
}
