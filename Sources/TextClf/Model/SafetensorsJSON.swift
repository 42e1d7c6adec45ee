/// A reader of JSON text (RFC 8259) for the files textclf loads: the safetensors header and the
/// model file's string arrays.
///
/// A model's header holds its whole vocabulary as one escaped string, and its vocabulary array
/// hundreds of thousands of tokens; a general JSON reader spends more on boxing each value than
/// the rest of loading costs, so this one walks the UTF-8 bytes once and makes one `String` per
/// string, straight from the bytes when it holds no escape. It follows the RFC exactly:
/// whitespace (space, tab, LF, CR) around tokens, the escapes `\" \\ \/ \b \f \n \r \t` and
/// `\uXXXX`, a UTF-16 surrogate pair as one scalar; an unescaped control character, a lone
/// surrogate, a trailing comma or anything after the value is refused (nil).
struct JSONReader {
    private let bytes: UnsafeBufferPointer<UInt8>
    /// Whether `bytes` are known to be valid UTF-8, so that strings need no check.
    private let knownValid: Bool
    private var position = 0
    /// The decoded bytes of a string that holds escapes, reused from one to the next.
    private var unescaped: [UInt8] = []

    /// A reader of the JSON text `bytes`, which are checked to be UTF-8 unless `knownValid`.
    init(bytes: UnsafeBufferPointer<UInt8>, knownValid: Bool = false) {
        self.bytes = bytes
        self.knownValid = knownValid
    }

    /// The whole text as one value, or nil when it is not exactly one JSON value.
    mutating func document() -> Value? {
        guard let value = value(depth: 0) else { return nil }
        skipWhitespace()
        return position == bytes.count ? value : nil
    }

    /// The whole text as an array of strings, or nil when it is anything else.
    mutating func stringArrayDocument() -> [String]? {
        skipWhitespace()
        guard take(UInt8(ascii: "[")) else { return nil }
        var strings: [String] = []
        guard elements(closedBy: UInt8(ascii: "]"), { reader in
            guard let string = reader.string() else { return false }
            strings.append(string)
            return true
        }) else { return nil }
        skipWhitespace()
        return position == bytes.count ? strings : nil
    }

    /// A value nested `depth` deep; deeper than 512 is refused, so that a hostile header cannot
    /// exhaust the stack.
    private mutating func value(depth: Int) -> Value? {
        guard depth < 512 else { return nil }
        skipWhitespace()
        guard position < bytes.count else { return nil }
        switch bytes[position] {
        case UInt8(ascii: "\""):
            return string().map(Value.string)
        case UInt8(ascii: "{"):
            position += 1
            var members: [String: Value] = [:]
            guard elements(closedBy: UInt8(ascii: "}"), { reader in
                guard let key = reader.string() else { return false }
                reader.skipWhitespace()
                guard reader.take(UInt8(ascii: ":")), let value = reader.value(depth: depth + 1) else { return false }
                members[key] = value
                return true
            }) else { return nil }
            return .object(members)
        case UInt8(ascii: "["):
            position += 1
            var values: [Value] = []
            guard elements(closedBy: UInt8(ascii: "]"), { reader in
                guard let value = reader.value(depth: depth + 1) else { return false }
                values.append(value)
                return true
            }) else { return nil }
            return .array(values)
        case UInt8(ascii: "t"): return literal("true") ? .bool(true) : nil
        case UInt8(ascii: "f"): return literal("false") ? .bool(false) : nil
        case UInt8(ascii: "n"): return literal("null") ? .null : nil
        default: return number()
        }
    }

    /// The comma-separated elements after an opening bracket, through `close`; `element`
    /// reads one (after whitespace) and says whether it was well formed.
    private mutating func elements(closedBy close: UInt8, _ element: (inout JSONReader) -> Bool) -> Bool {
        skipWhitespace()
        if take(close) { return true }
        repeat {
            skipWhitespace()
            guard element(&self) else { return false }
            skipWhitespace()
        } while take(UInt8(ascii: ","))
        return take(close)
    }

    private mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x09, 0x0A, 0x0D: position += 1
            default: return
            }
        }
    }

    private mutating func take(_ byte: UInt8) -> Bool {
        guard position < bytes.count, bytes[position] == byte else { return false }
        position += 1
        return true
    }

    private mutating func literal(_ word: StaticString) -> Bool {
        let count = word.utf8CodeUnitCount
        guard position + count <= bytes.count,
              memoryEqual(bytes.baseAddress! + position, word.utf8Start, count) else { return false }
        position += count
        return true
    }

    /// A number: `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`.
    private mutating func number() -> Value? {
        let start = position
        _ = take(UInt8(ascii: "-"))
        if !take(UInt8(ascii: "0")) {
            guard position < bytes.count, (UInt8(ascii: "1") ... UInt8(ascii: "9")).contains(bytes[position]) else { return nil }
            skipDigits()
        }
        let integral = position
        if take(UInt8(ascii: ".")) {
            guard skipDigits() > 0 else { return nil }
        }
        if take(UInt8(ascii: "e")) || take(UInt8(ascii: "E")) {
            if !take(UInt8(ascii: "+")) { _ = take(UInt8(ascii: "-")) }
            guard skipDigits() > 0 else { return nil }
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start ..< position]), as: UTF8.self)
        guard let value = Double(text) else { return nil }
        return .number(value, integer: position == integral ? Int64(text) : nil)
    }

    @discardableResult
    private mutating func skipDigits() -> Int {
        let start = position
        while position < bytes.count, (UInt8(ascii: "0") ... UInt8(ascii: "9")).contains(bytes[position]) { position += 1 }
        return position - start
    }

    /// A string literal. Its bytes become a `String` only if they are valid UTF-8, which is
    /// all the checking bytes outside strings need: there, any byte above ASCII is a syntax error.
    private mutating func string() -> String? {
        guard take(UInt8(ascii: "\"")) else { return nil }
        var run = position
        skipPlainBytes()
        if position < bytes.count, bytes[position] == UInt8(ascii: "\"") {
            position += 1
            return makeString(UnsafeBufferPointer(rebasing: bytes[run ..< position - 1]))
        }
        // Escapes: plain runs are copied whole, escapes decoded between them.
        unescaped.removeAll(keepingCapacity: true)
        while position < bytes.count {
            unescaped.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[run ..< position]))
            let byte = bytes[position]
            position += 1
            if byte == UInt8(ascii: "\"") { return unescaped.withUnsafeBufferPointer(makeString) }
            guard byte == UInt8(ascii: "\\"), escape() else { return nil }
            run = position
            skipPlainBytes()
        }
        return nil
    }

    /// Moves past the bytes a string holds as they are: all but a quote, a backslash and
    /// control characters.
    private mutating func skipPlainBytes() {
        // A local index: the loop runs over every byte of the vocabulary, twice.
        var index = position
        while index < bytes.count {
            let byte = bytes[index]
            if byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { break }
            index += 1
        }
        position = index
    }

    /// The `String` of `bytes`, or nil when they are not valid UTF-8.
    private func makeString(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        // Text that came from a `String` is valid already, and decoding without the generic
        // validation avoids its per-call overhead, which the tokens of a vocabulary add up.
        knownValid ? String(decoding: bytes, as: UTF8.self) : String(validating: bytes, as: UTF8.self)
    }

    /// Decodes the escape after a backslash into `unescaped`.
    private mutating func escape() -> Bool {
        guard position < bytes.count else { return false }
        let letter = bytes[position]
        position += 1
        switch letter {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): unescaped.append(letter)
        case UInt8(ascii: "b"): unescaped.append(0x08)
        case UInt8(ascii: "f"): unescaped.append(0x0C)
        case UInt8(ascii: "n"): unescaped.append(0x0A)
        case UInt8(ascii: "r"): unescaped.append(0x0D)
        case UInt8(ascii: "t"): unescaped.append(0x09)
        case UInt8(ascii: "u"):
            guard let scalar = unicodeEscape() else { return false }
            UTF8.encode(scalar) { unescaped.append($0) }
        default: return false
        }
        return true
    }

    /// The scalar of `XXXX` after `\u`, joining a high surrogate with the `\uXXXX` low
    /// surrogate that must follow it.
    private mutating func unicodeEscape() -> Unicode.Scalar? {
        guard let unit = hexUnit() else { return nil }
        switch unit {
        case 0xD800 ..< 0xDC00:
            guard take(UInt8(ascii: "\\")), take(UInt8(ascii: "u")), let low = hexUnit(),
                  (0xDC00 ..< 0xE000).contains(low) else { return nil }
            return Unicode.Scalar(0x10000 + ((unit - 0xD800) << 10 | (low - 0xDC00)))
        case 0xDC00 ..< 0xE000:
            return nil
        default:
            return Unicode.Scalar(unit)
        }
    }

    private mutating func hexUnit() -> UInt32? {
        guard position + 4 <= bytes.count else { return nil }
        var unit: UInt32 = 0
        for _ in 0 ..< 4 {
            let byte = bytes[position]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0") ... UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a") ... UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A") ... UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: return nil
            }
            unit = unit << 4 | UInt32(digit)
            position += 1
        }
        return unit
    }

    /// A parsed JSON value.
    enum Value: Equatable {
        case object([String: Value])
        case array([Value])
        case string(String)
        /// A number as a `Double`, and exactly as an integer when it is written as one (no
        /// fraction or exponent) that fits 64 bits.
        case number(Double, integer: Int64?)
        case bool(Bool)
        case null

        /// The value as a non-negative integer when it is a number equal to one that fits `Int`.
        var nonNegativeInteger: Int? {
            guard case .number(let value, let integer) = self else { return nil }
            if let integer { return integer >= 0 ? Int(integer) : nil }
            guard value >= 0, value < 0x1p63, value.rounded(.towardZero) == value else { return nil }
            return Int(value)
        }
    }
}
