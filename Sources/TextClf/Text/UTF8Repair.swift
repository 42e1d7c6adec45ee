/// Validation and repair of UTF-8 bytes, so that invalid input becomes U+FFFD and is counted.
@_spi(Internals) public enum UTF8Repair {
    /// Whether `bytes` is well-formed UTF-8 (no overlongs, surrogates or values past U+10FFFF).
    package static func isValid(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        let n = bytes.count
        var i = 0
        while i < n {
            // Skip ASCII eight bytes at a time: most text is mostly ASCII.
            while i + 8 <= n,
                  UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                i += 8
            }
            guard i < n else { break }
            let b0 = base[i]
            if b0 < 0x80 {
                i += 1
                continue
            }
            @inline(__always) func continuation(_ k: Int) -> Bool {
                i + k < n && base[i + k] & 0xC0 == 0x80
            }
            switch b0 {
            case 0xC2...0xDF:
                guard continuation(1) else { return false }
                i += 2
            case 0xE0...0xEF:
                guard continuation(1), continuation(2) else { return false }
                let b1 = base[i + 1]
                if b0 == 0xE0 && b1 < 0xA0 { return false }  // overlong
                if b0 == 0xED && b1 >= 0xA0 { return false }  // surrogate
                i += 3
            case 0xF0...0xF4:
                guard continuation(1), continuation(2), continuation(3) else { return false }
                let b1 = base[i + 1]
                if b0 == 0xF0 && b1 < 0x90 { return false }  // overlong
                if b0 == 0xF4 && b1 >= 0x90 { return false }  // past U+10FFFF
                i += 4
            default:
                return false
            }
        }
        return true
    }

    /// The number of U+FFFD replacements that decoding `bytes` makes (one per maximal invalid
    /// subpart, as `String(decoding:as:)` replaces them).
    package static func invalidSequenceCount(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var count = 0
        loop: while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid: continue
            case .error: count += 1
            case .emptyInput: break loop
            }
        }
        return count
    }

    /// Decodes `bytes` as UTF-8, replacing invalid sequences with U+FFFD.
    /// - Returns: the text and the number of replacements made.
    public static func decode(_ bytes: UnsafeBufferPointer<UInt8>) -> (text: String, replacements: Int) {
        let text = String(decoding: bytes, as: UTF8.self)
        if isValid(bytes) { return (text, 0) }
        return (text, invalidSequenceCount(bytes))
    }
}
