/// Byte-level character classes for the ASCII fast paths.
enum ByteClass {
    /// fastText's separators: space, tab, vertical tab, form feed, CR, LF and NUL.
    @inline(__always)
    static func isFastTextSpace(_ b: UInt8) -> Bool {
        b == 0x20 || (b >= 0x09 && b <= 0x0D) || b == 0
    }

    /// The kind of a one-byte (hence ASCII) segment, as ``ICU/classify(_:)`` would say.
    @inline(__always)
    static func asciiSegmentKind(_ b: UInt8) -> ICU.SegmentKind {
        switch b {
        case 0x30 ... 0x39, 0x41 ... 0x5A, 0x61 ... 0x7A: return .word
        case 0x21 ... 0x7E: return .punctuation
        default: return .space
        }
    }
}
