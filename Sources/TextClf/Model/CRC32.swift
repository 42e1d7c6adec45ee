/// CRC-32 as zlib's `crc32` computes it (reflected polynomial 0xEDB88320, initial and final
/// XOR 0xFFFFFFFF), so a model file's checksum can be verified with any zlib binding.
///
///     var crc = CRC32()
///     crc.update(Array("123456789".utf8))
///     crc.value   // 0xCBF43926
package struct CRC32: Sendable {
    private static let table: [UInt32] = (0..<256).map { index in
        var value = UInt32(index)
        for _ in 0..<8 {
            value = value & 1 == 1 ? 0xEDB8_8320 ^ (value >> 1) : value >> 1
        }
        return value
    }

    private var state: UInt32 = 0xFFFF_FFFF

    package init() {}

    package mutating func update<Bytes: Sequence>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        // Contiguous bytes (a model's tensors, hundreds of MB with hashed rows) go through
        // buffers, without the bounds checks of the generic loop.
        if let done: Void = bytes.withContiguousStorageIfAvailable({ update(buffer: $0) }) { return done }
        var crc = state
        for byte in bytes {
            crc = Self.table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8)
        }
        state = crc
    }

    private mutating func update(buffer: UnsafeBufferPointer<UInt8>) {
        var crc = state
        Self.table.withUnsafeBufferPointer { table in
            for byte in buffer {
                crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8)
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
