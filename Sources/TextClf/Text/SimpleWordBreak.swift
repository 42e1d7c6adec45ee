/// ICU's word-break rules (UAX #29 as ICU's root rules apply them) for text whose every code
/// point is ASCII, a Latin or Cyrillic letter, or common Latin-1 and general punctuation: the
/// same segments as ICU, several times faster. Other text (CJK, combining marks, emoji, …)
/// goes to ICU.
///
/// Tests compare it with ICU on random strings rich in the characters the rules treat
/// specially and on real text in 14 languages, so a difference from ICU's rules fails a test.
enum SimpleWordBreak {
    /// Word_Break classes, plus `unknown` for code points left to ICU.
    enum Class: UInt8 {
        case unknown, other, letter, numeric, extendNumLet, midNumLet, midNum, space, cr, lf, newline
    }

    private static let asciiClasses: [Class] = (0 ..< 128).map { byte -> Class in
        switch UInt8(byte) {
        // ICU's root rules count "@" as a letter, so that e-mail addresses stay whole.
        case UInt8(ascii: "A") ... UInt8(ascii: "Z"), UInt8(ascii: "a") ... UInt8(ascii: "z"), UInt8(ascii: "@"):
            return .letter
        case UInt8(ascii: "0") ... UInt8(ascii: "9"): return .numeric
        case UInt8(ascii: "_"): return .extendNumLet
        case UInt8(ascii: "."), UInt8(ascii: "'"): return .midNumLet
        case UInt8(ascii: ","), UInt8(ascii: ";"): return .midNum
        // ICU's root rules take the colon out of MidLetter, which leaves no MidLetter in ASCII.
        case 0x20: return .space
        case 0x0D: return .cr
        case 0x0A: return .lf
        case 0x0B, 0x0C: return .newline
        default: return .other
        }
    }

    /// The class of a code point; `unknown` outside the characters handled here.
    @inline(__always)
    static func wordClass(_ scalar: UInt32) -> Class {
        if scalar < 0x80 { return asciiClasses[Int(scalar)] }
        switch scalar {
        case 0xAA, 0xB5, 0xBA, 0xC0 ... 0xD6, 0xD8 ... 0xF6, 0xF8 ... 0x24F,  // Latin letters
             0x400 ... 0x481, 0x48A ... 0x4FF:  // Cyrillic letters
            return .letter
        case 0x2018, 0x2019, 0x2024:  // ‘ ’ ․
            return .midNumLet
        case 0xA0 ... 0xA8, 0xAB, 0xAC, 0xAF ... 0xB4, 0xB6, 0xB8, 0xB9, 0xBB ... 0xBF, 0xD7, 0xF7,
             0x482, 0x2010 ... 0x2017, 0x201A ... 0x2023, 0x2025, 0x2026:  // symbols, dashes, quotes
            return .other
        default:
            return .unknown  // ©, soft hyphen, ·, combining marks, other scripts, emoji, …
        }
    }

    /// Whether every code point of valid UTF-8 `text` is handled here.
    static func covers(_ base: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        var i = 0
        while i < n {
            if base[i] < 0x80 {
                i += 1
                continue
            }
            let (scalar, length) = SimpleGraphemes.decode(base, i)
            if wordClass(scalar) == .unknown { return false }
            i += length
        }
        return true
    }

    /// Calls `emit` with the end of each segment of `text` (which ``covers(_:_:)`` accepted)
    /// and whether ICU would give it a letter or number status, until it returns false.
    static func segment(_ base: UnsafePointer<UInt8>, _ n: Int, _ emit: (_ end: Int, _ isWord: Bool) -> Bool) {
        @inline(__always) func next(_ i: Int) -> (Class, Int) {
            if base[i] < 0x80 { return (asciiClasses[Int(base[i])], 1) }
            let (scalar, length) = SimpleGraphemes.decode(base, i)
            return (wordClass(scalar), length)
        }
        var i = 0
        while i < n {
            let (first, firstLength) = next(i)
            var j = i + firstLength
            switch first {
            case .cr:
                if j < n && base[j] == 0x0A { j += 1 }  // WB3: CR × LF
            case .space:
                while j < n && base[j] == 0x20 { j += 1 }  // WB3d
            case .letter, .numeric, .extendNumLet:
                var previous = first
                while j < n {
                    let (current, length) = next(j)
                    if current == .letter || current == .numeric || current == .extendNumLet {
                        previous = current  // WB5, WB8–WB10, WB13a, WB13b
                        j += length
                        continue
                    }
                    guard current == .midNumLet || current == .midNum, j + length < n else { break }
                    let (after, afterLength) = next(j + length)
                    // WB6/WB7: letter MidNumLet letter; WB11/WB12: digit (MidNum | MidNumLet) digit.
                    let joinsLetters = previous == .letter && after == .letter && current == .midNumLet
                    let joinsDigits = previous == .numeric && after == .numeric
                    guard joinsLetters || joinsDigits else { break }
                    previous = after
                    j += length + afterLength
                }
            default:
                break  // WB999: every other character is a segment of its own
            }
            // ICU gives a run of two or more underscores a word status, a lone one none.
            let isWord = first == .letter || first == .numeric || (first == .extendNumLet && j - i > 1)
            if !emit(j, isWord) { return }
            i = j
        }
    }
}
