/// Grapheme clusters without ICU for text made of code points that never join their
/// neighbours: CJK ideographs, kana, Latin, Greek, Cyrillic letters and common punctuation.
///
/// Each such code point has Grapheme_Cluster_Break = Other and is neither an extended
/// pictograph nor an Indic conjunct letter, so no rule of UAX #29 keeps it with the code point
/// before it, unless that one is a Prepend character, which is not in the set either. A
/// boundary between two of them is therefore certain; stretches holding anything else go to ICU.
/// Tests compare the result with ICU's on every level and on mixed random text.
enum SimpleGraphemes {
    /// Whether `scalar` is one of the code points described above.
    @inline(__always)
    static func isSimple(_ scalar: UInt32) -> Bool {
        switch scalar {
        case 0x20 ... 0x7E,
             0xA0 ... 0xA8, 0xAA ... 0xAC, 0xAF ... 0xFF,  // not ©, soft hyphen, ®
             0x100 ... 0x24F,  // Latin Extended-A and -B
             0x384 ... 0x3FF,  // Greek, after its combining marks
             0x400 ... 0x482, 0x48A ... 0x4FF,  // Cyrillic without its combining marks
             0x2010 ... 0x2027,  // dashes, quotes, bullets, ellipsis
             0x3000 ... 0x3029,  // CJK punctuation before the tone marks
             0x3041 ... 0x3096, 0x30A0 ... 0x30FF,  // hiragana, katakana
             0x4E00 ... 0x9FFF,  // CJK unified ideographs
             0xFF01 ... 0xFF5E:  // fullwidth ASCII
            return true
        default:
            return false
        }
    }

    /// Decodes the code point of valid UTF-8 at `i`; returns it and its length in bytes.
    @inline(__always)
    static func decode(_ base: UnsafePointer<UInt8>, _ i: Int) -> (scalar: UInt32, length: Int) {
        let b0 = UInt32(base[i])
        if b0 < 0x80 { return (b0, 1) }
        if b0 < 0xE0 { return ((b0 & 0x1F) << 6 | UInt32(base[i + 1] & 0x3F), 2) }
        if b0 < 0xF0 {
            return ((b0 & 0x0F) << 12 | UInt32(base[i + 1] & 0x3F) << 6 | UInt32(base[i + 2] & 0x3F), 3)
        }
        return ((b0 & 0x07) << 18 | UInt32(base[i + 1] & 0x3F) << 12 | UInt32(base[i + 2] & 0x3F) << 6
                    | UInt32(base[i + 3] & 0x3F), 4)
    }

    /// Cuts valid UTF-8 `text` into chunks that end at certain grapheme boundaries and calls
    /// `chunk(start, end, isOneCodePoint)` for each, until it returns false. A chunk of one code
    /// point is one grapheme; longer chunks need ICU.
    static func chunks(_ base: UnsafePointer<UInt8>, _ n: Int,
                       _ chunk: (_ start: Int, _ end: Int, _ isOneCodePoint: Bool) -> Bool) {
        var start = 0
        var codePoints = 0
        var previousSimple = false
        var i = 0
        while i < n {
            let (scalar, length) = decode(base, i)
            let simple = isSimple(scalar)
            if simple && previousSimple && i > start {
                if !chunk(start, i, codePoints == 1) { return }
                start = i
                codePoints = 0
            }
            previousSimple = simple
            codePoints += 1
            i += length
        }
        if n > start { _ = chunk(start, n, codePoints == 1) }
    }
}
