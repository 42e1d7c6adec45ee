/// CRC-32 as zlib's `crc32` computes it (reflected polynomial 0xEDB88320, initial and final
/// XOR 0xFFFFFFFF), so a model file's checksum can be verified with any zlib binding.
///
///     var crc = CRC32()
///     crc.update(Array("123456789".utf8))
///     crc.value   // 0xCBF43926
package struct CRC32: Sendable {
    /// Slicing-by-8 tables: `tables[0]` is the byte-at-a-time table, and `tables[k·256 + b]`
    /// is the CRC of byte b followed by k zero bytes, so eight bytes fold in with eight lookups
    /// (a 600 MB model's checksum takes a fraction of the time byte by byte would).
    private static let tables: [UInt32] = {
        var tables = [UInt32](repeating: 0, count: 8 * 256)
        for index in 0..<256 {
            var value = UInt32(index)
            for _ in 0..<8 {
                value = value & 1 == 1 ? 0xEDB8_8320 ^ (value >> 1) : value >> 1
            }
            tables[index] = value
        }
        for k in 1..<8 {
            for index in 0..<256 {
                let previous = tables[(k - 1) * 256 + index]
                tables[k * 256 + index] = (previous >> 8) ^ tables[Int(previous & 0xFF)]
            }
        }
        return tables
    }()

    private var state: UInt32 = 0xFFFF_FFFF

    package init() {}

    package mutating func update<Bytes: Sequence>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        // Contiguous bytes (a model's tensors, hundreds of MB with hashed rows) go through
        // buffers, without the bounds checks of the generic loop.
        if let done: Void = bytes.withContiguousStorageIfAvailable({ update(buffer: $0) }) { return done }
        var crc = state
        for byte in bytes {
            crc = Self.tables[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8)
        }
        state = crc
    }

    private mutating func update(buffer: UnsafeBufferPointer<UInt8>) {
        var crc = state
        Self.tables.withUnsafeBufferPointer { table in
            var index = 0
            if let base = buffer.baseAddress {
                let raw = UnsafeRawPointer(base)
                while buffer.count - index >= 8 {
                    let low = UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: index, as: UInt32.self)) ^ crc
                    let high = UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: index + 4, as: UInt32.self))
                    crc = table[7 * 256 + Int(low & 0xFF)] ^ table[6 * 256 + Int((low >> 8) & 0xFF)]
                        ^ table[5 * 256 + Int((low >> 16) & 0xFF)] ^ table[4 * 256 + Int(low >> 24)]
                        ^ table[3 * 256 + Int(high & 0xFF)] ^ table[2 * 256 + Int((high >> 8) & 0xFF)]
                        ^ table[256 + Int((high >> 16) & 0xFF)] ^ table[Int(high >> 24)]
                    index += 8
                }
            }
            while index < buffer.count {
                crc = table[Int((crc ^ UInt32(buffer[index])) & 0xFF)] ^ (crc >> 8)
                index += 1
            }
        }
        state = crc
    }

    package var value: UInt32 { state ^ 0xFFFF_FFFF }

    /// The value as 8 lowercase hex digits, the form the model file stores.
    package var hexDigits: String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 8 - digits.count) + digits
    }
}
