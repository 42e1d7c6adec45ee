/// A JSON value, as far as corpus records need one.
enum JSONValue: Equatable {
    case string(String)
    /// A number, kept as written (labels may be numbers such as `1`).
    case number(String)
    case bool(Bool)
    case null
    case array([JSONValue])
    case object([(key: String, value: JSONValue)])

    static func == (a: JSONValue, b: JSONValue) -> Bool {
        switch (a, b) {
        case let (.string(x), .string(y)), let (.number(x), .number(y)): return x == y
        case let (.bool(x), .bool(y)): return x == y
        case (.null, .null): return true
        case let (.array(x), .array(y)): return x == y
        case let (.object(x), .object(y)):
            return x.count == y.count && zip(x, y).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        default: return false
        }
    }
}

/// JSONL records: one object per line with `text` and `label` (a string or number) or
/// `labels` (an array of them). Other keys are ignored.
enum JSONLine {
    static func parseExample(_ line: String) throws(RecordError) -> LabeledExample {
        guard case let .object(members) = try parse(line) else {
            throw RecordError("expected a JSON object (JSONL)")
        }
        func member(_ key: String) -> JSONValue? { members.last { $0.key == key }?.value }
        guard let textValue = member("text") else { throw RecordError("no \"text\" key (JSONL)") }
        guard case let .string(text) = textValue else { throw RecordError("\"text\" is not a string (JSONL)") }
        let labels: [String]
        if let labelsValue = member("labels") {
            guard case let .array(items) = labelsValue else {
                throw RecordError("\"labels\" is not an array (JSONL)")
            }
            labels = try items.map { item throws(RecordError) in try labelText(item, key: "labels") }
        } else if let labelValue = member("label") {
            labels = [try labelText(labelValue, key: "label")]
        } else {
            throw RecordError("no \"label\" or \"labels\" key (JSONL)")
        }
        return LabeledExample(text: text, labels: labels, line: 0)
    }

    private static func labelText(_ value: JSONValue, key: String) throws(RecordError) -> String {
        switch value {
        case let .string(label) where !label.isEmpty, let .number(label): return label
        case .string: throw RecordError("empty label in \"\(key)\" (JSONL)")
        default: throw RecordError("a label in \"\(key)\" is neither a string nor a number (JSONL)")
        }
    }

    /// Parses one complete JSON document.
    static func parse(_ text: String) throws(RecordError) -> JSONValue {
        var parser = JSONParser(bytes: Array(text.utf8))
        parser.skipSpace()
        let value = try parser.value(depth: 0)
        parser.skipSpace()
        guard parser.atEnd else { throw parser.error("unexpected text after the JSON value") }
        return value
    }
}

/// A recursive-descent JSON parser over UTF-8 bytes (RFC 8259).
private struct JSONParser {
    let bytes: [UInt8]
    var i = 0

    init(bytes: [UInt8]) { self.bytes = bytes }

    var atEnd: Bool { i >= bytes.count }

    func error(_ reason: String) -> RecordError {
        RecordError("invalid JSON at column \(i + 1): \(reason) (JSONL)")
    }

    mutating func skipSpace() {
        while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x09 || bytes[i] == 0x0A || bytes[i] == 0x0D { i += 1 }
    }

    mutating func value(depth: Int) throws(RecordError) -> JSONValue {
        guard depth < 512 else { throw error("nested too deeply") }
        guard i < bytes.count else { throw error("unexpected end of line") }
        switch bytes[i] {
        case UInt8(ascii: "{"): return try object(depth: depth)
        case UInt8(ascii: "["): return try array(depth: depth)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0") ... UInt8(ascii: "9"): return .number(try number())
        default: throw error("unexpected character")
        }
    }

    mutating func literal(_ word: String) throws(RecordError) {
        let expected = Array(word.utf8)
        guard i + expected.count <= bytes.count, Array(bytes[i ..< i + expected.count]) == expected else {
            throw error("expected \(word)")
        }
        i += expected.count
    }

    mutating func expect(_ byte: UInt8, _ what: String) throws(RecordError) {
        skipSpace()
        guard i < bytes.count, bytes[i] == byte else { throw error("expected \(what)") }
        i += 1
    }

    mutating func object(depth: Int) throws(RecordError) -> JSONValue {
        i += 1
        var members: [(key: String, value: JSONValue)] = []
        skipSpace()
        if i < bytes.count && bytes[i] == UInt8(ascii: "}") {
            i += 1
            return .object(members)
        }
        while true {
            skipSpace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { throw error("expected a quoted key") }
            let key = try string()
            try expect(UInt8(ascii: ":"), "':'")
            skipSpace()
            members.append((key, try value(depth: depth + 1)))
            skipSpace()
            guard i < bytes.count else { throw error("expected ',' or '}'") }
            if bytes[i] == UInt8(ascii: "}") {
                i += 1
                return .object(members)
            }
            guard bytes[i] == UInt8(ascii: ",") else { throw error("expected ',' or '}'") }
            i += 1
        }
    }

    mutating func array(depth: Int) throws(RecordError) -> JSONValue {
        i += 1
        var items: [JSONValue] = []
        skipSpace()
        if i < bytes.count && bytes[i] == UInt8(ascii: "]") {
            i += 1
            return .array(items)
        }
        while true {
            skipSpace()
            items.append(try value(depth: depth + 1))
            skipSpace()
            guard i < bytes.count else { throw error("expected ',' or ']'") }
            if bytes[i] == UInt8(ascii: "]") {
                i += 1
                return .array(items)
            }
            guard bytes[i] == UInt8(ascii: ",") else { throw error("expected ',' or ']'") }
            i += 1
        }
    }

    mutating func number() throws(RecordError) -> String {
        let start = i
        func digits() -> Int {
            let from = i
            while i < bytes.count, bytes[i] >= 0x30, bytes[i] <= 0x39 { i += 1 }
            return i - from
        }
        if bytes[i] == UInt8(ascii: "-") { i += 1 }
        let intStart = i
        guard digits() > 0 else { throw error("expected digits") }
        if bytes[intStart] == UInt8(ascii: "0") && i - intStart > 1 { throw error("leading zero in a number") }
        if i < bytes.count && bytes[i] == UInt8(ascii: ".") {
            i += 1
            guard digits() > 0 else { throw error("expected digits after '.'") }
        }
        if i < bytes.count && (bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E")) {
            i += 1
            if i < bytes.count && (bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-")) { i += 1 }
            guard digits() > 0 else { throw error("expected exponent digits") }
        }
        return String(decoding: bytes[start ..< i], as: UTF8.self)
    }

    mutating func hex4() throws(RecordError) -> UInt32 {
        guard i + 4 <= bytes.count else { throw error("short \\u escape") }
        var value: UInt32 = 0
        for _ in 0 ..< 4 {
            let b = bytes[i]
            let digit: UInt32
            switch b {
            case 0x30 ... 0x39: digit = UInt32(b - 0x30)
            case 0x41 ... 0x46: digit = UInt32(b - 0x41 + 10)
            case 0x61 ... 0x66: digit = UInt32(b - 0x61 + 10)
            default: throw error("bad hex digit in \\u escape")
            }
            value = value << 4 | digit
            i += 1
        }
        return value
    }

    mutating func string() throws(RecordError) -> String {
        i += 1
        var out: [UInt8] = []
        while true {
            guard i < bytes.count else { throw error("unterminated string") }
            let b = bytes[i]
            i += 1
            switch b {
            case UInt8(ascii: "\""):
                return String(decoding: out, as: UTF8.self)
            case UInt8(ascii: "\\"):
                guard i < bytes.count else { throw error("unterminated escape") }
                let e = bytes[i]
                i += 1
                switch e {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    var code = try hex4()
                    if code >= 0xD800 && code < 0xDC00, i + 6 <= bytes.count,
                       bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u") {
                        let save = i
                        i += 2
                        let low = try hex4()
                        if low >= 0xDC00 && low < 0xE000 {
                            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                        } else {
                            i = save
                        }
                    }
                    // A lone surrogate cannot be represented: it becomes U+FFFD, as in decoding.
                    out.append(contentsOf: String(Unicode.Scalar(code) ?? "\u{FFFD}").utf8)
                default: throw error("unknown escape \\\(Unicode.Scalar(e))")
                }
            case 0x00 ..< 0x20:
                throw error("control character inside a string")
            default:
                out.append(b)
            }
        }
    }
}
