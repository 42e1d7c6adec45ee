/// The fast path for the common `POST /v1/classify` body: `texts` with strings free of `\u`
/// escapes, optionally `k` as a plain whole number and `all_probabilities` as `true` or `false`,
/// each key once. Anything else (a `threshold`, other keys or escapes, `null`, any error) is
/// left to `JSONDecoder`, so every body gets exactly the answer or error message the decoder
/// gives; this path only skips the decoder's cost where the result is plain.
///
/// Expects a body already checked to be valid UTF-8: strings are cut at ASCII quotes only,
/// so each stays valid.
struct PlainClassifyBody {
    var texts: [String] = []
    var k: Int?
    var allProbabilities: Bool?

    /// The body's fields, or nil when it is not of the plain shape.
    init?(_ body: UnsafeBufferPointer<UInt8>) {
        var reader = Reader(bytes: body)
        var seenTexts = false
        guard reader.take(UInt8(ascii: "{")) else { return nil }
        repeat {
            guard let key = reader.key() else { return nil }
            switch key {
            case .texts where !seenTexts:
                guard let texts = reader.stringArray() else { return nil }
                self.texts = texts
                seenTexts = true
            case .k where k == nil:
                guard let k = reader.smallWholeNumber() else { return nil }
                self.k = k
            case .allProbabilities where allProbabilities == nil:
                guard let flag = reader.boolean() else { return nil }
                allProbabilities = flag
            default:
                return nil
            }
        } while reader.take(UInt8(ascii: ","))
        guard seenTexts, reader.take(UInt8(ascii: "}")), reader.atEnd else { return nil }
    }

    private enum Key { case texts, k, allProbabilities }

    /// A cursor over the body; every method skips the whitespace before its token.
    private struct Reader {
        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0

        /// Whether only whitespace is left.
        var atEnd: Bool {
            mutating get {
                skipWhitespace()
                return index == bytes.count
            }
        }

        mutating func skipWhitespace() {
            while index < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[index]) { index += 1 }
        }

        /// Consumes `byte` if it comes next.
        mutating func take(_ byte: UInt8) -> Bool {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == byte else { return false }
            index += 1
            return true
        }

        /// A known key and its colon.
        mutating func key() -> Key? {
            guard let name = string(), take(UInt8(ascii: ":")) else { return nil }
            switch name {
            case "texts": return .texts
            case "k": return .k
            case "all_probabilities": return .allProbabilities
            default: return nil
            }
        }

        /// `[` strings `]`, possibly none.
        mutating func stringArray() -> [String]? {
            guard take(UInt8(ascii: "[")) else { return nil }
            var strings: [String] = []
            if take(UInt8(ascii: "]")) { return strings }
            repeat {
                guard let string = string() else { return nil }
                strings.append(string)
            } while take(UInt8(ascii: ","))
            return take(UInt8(ascii: "]")) ? strings : nil
        }

        /// A string literal whose escapes are all single characters (`\"`, `\n`, ...).
        mutating func string() -> String? {
            guard take(UInt8(ascii: "\"")) else { return nil }
            let start = index
            // Most texts hold no escape: they are copied in one piece.
            while index < bytes.count, bytes[index] != UInt8(ascii: "\""), bytes[index] != UInt8(ascii: "\\") {
                guard bytes[index] >= 0x20 else { return nil }
                index += 1
            }
            guard index < bytes.count else { return nil }
            if bytes[index] == UInt8(ascii: "\"") {
                index += 1
                return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index - 1]), as: UTF8.self)
            }
            var unescaped = Array(bytes[start..<index])
            while index < bytes.count {
                let byte = bytes[index]
                index += 1
                switch byte {
                case UInt8(ascii: "\""):
                    return String(decoding: unescaped, as: UTF8.self)
                case UInt8(ascii: "\\"):
                    guard index < bytes.count, let replacement = Self.escaped(bytes[index]) else { return nil }
                    unescaped.append(replacement)
                    index += 1
                case ..<0x20:
                    return nil
                default:
                    unescaped.append(byte)
                }
            }
            return nil
        }

        /// The byte a one-character escape stands for (`\u` is not one).
        private static func escaped(_ letter: UInt8) -> UInt8? {
            switch letter {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): letter
            case UInt8(ascii: "b"): 0x08
            case UInt8(ascii: "f"): 0x0C
            case UInt8(ascii: "n"): 0x0A
            case UInt8(ascii: "r"): 0x0D
            case UInt8(ascii: "t"): 0x09
            default: nil
            }
        }

        /// A whole number of 1 to 9 digits, without sign, leading zero, fraction or exponent.
        mutating func smallWholeNumber() -> Int? {
            skipWhitespace()
            var value = 0
            let start = index
            while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]), index - start < 9 {
                value = value * 10 + Int(bytes[index] - UInt8(ascii: "0"))
                index += 1
            }
            let digits = index - start
            guard digits > 0, !(digits > 1 && bytes[start] == UInt8(ascii: "0")) else { return nil }
            // A number that goes on (more digits, a fraction, an exponent) is not plain.
            if index < bytes.count, [UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E")].contains(bytes[index])
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) {
                return nil
            }
            return value
        }

        /// `true` or `false`.
        mutating func boolean() -> Bool? {
            skipWhitespace()
            let rest = UnsafeBufferPointer(rebasing: bytes[index...])
            if rest.starts(with: "true".utf8) {
                index += 4
                return true
            }
            if rest.starts(with: "false".utf8) {
                index += 5
                return false
            }
            return nil
        }
    }
}
