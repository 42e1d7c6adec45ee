/// ICU's word-break rules (UAX #29 as ICU's root rules apply them) restricted to ASCII text,
/// which is most of many corpora: the same segments as ICU, several times faster.
///
/// Tests compare it with ICU on random ASCII strings rich in the characters the rules treat
/// specially, so a difference in ICU's rules shows up as a failing test.
enum ASCIIWordBreak {
    /// Word-break classes of the ASCII characters.
    private enum Class: UInt8 {
        case other, letter, numeric, extendNumLet, midNumLet, midNum, space, cr, lf, newline
    }

    private static let classes: [Class] = (0 ..< 128).map { byte -> Class in
        switch UInt8(byte) {
        // ICU's root rules count "@" as a letter, so that e-mail addresses stay whole.
        case UInt8(ascii: "A") ... UInt8(ascii: "Z"), UInt8(ascii: "a") ... UInt8(ascii: "z"), UInt8(ascii: "@"):
            return .letter
        case UInt8(ascii: "0") ... UInt8(ascii: "9"): return .numeric
        case UInt8(ascii: "_"): return .extendNumLet
        case UInt8(ascii: "."), UInt8(ascii: "'"): return .midNumLet
        case UInt8(ascii: ","), UInt8(ascii: ";"): return .midNum
        case 0x20: return .space
        case 0x0D: return .cr
        case 0x0A: return .lf
        case 0x0B, 0x0C: return .newline
        default: return .other
        }
    }

    /// Calls `emit` with the end of each segment of ASCII `text` and whether the segment is a
    /// word (what ICU gives a letter or number status), until it returns false.
    static func segment(_ base: UnsafePointer<UInt8>, _ n: Int, _ emit: (_ end: Int, _ isWord: Bool) -> Bool) {
        classes.withUnsafeBufferPointer { classes in
            @inline(__always) func kind(_ i: Int) -> Class { classes[Int(base[i])] }
            var i = 0
            while i < n {
                var j = i + 1
                let first = kind(i)
                switch first {
                case .cr:
                    if j < n && kind(j) == .lf { j += 1 }  // WB3: CR × LF
                case .space:
                    while j < n && kind(j) == .space { j += 1 }  // WB3d
                case .letter, .numeric, .extendNumLet:
                    while j < n {
                        let current = kind(j)
                        switch current {
                        case .letter, .numeric, .extendNumLet:  // WB5, WB8–WB10, WB13a, WB13b
                            j += 1
                            continue
                        case .midNumLet, .midNum:
                            guard j + 1 < n else { break }
                            let before = kind(j - 1), after = kind(j + 1)
                            // WB6/WB7: letter MidNumLet letter. (ICU's root rules take the
                            // colon out of MidLetter, which leaves no MidLetter in ASCII.)
                            if before == .letter && after == .letter && current == .midNumLet {
                                j += 2
                                continue
                            }
                            // WB11/WB12: digit (MidNum | MidNumLet) digit.
                            if before == .numeric && after == .numeric {
                                j += 2
                                continue
                            }
                        default: break
                        }
                        break
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
}
