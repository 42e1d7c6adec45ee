import Foundation

/// How textclf writes JSON: whole documents through `Codable`, and string literals for the
/// lines that hot loops assemble by hand (classify's jsonl, corpus lines, the model file's
/// header). Both give the same bytes for the same value, so files and outputs are
/// reproducible.
@_spi(Internals) public enum JSONText {
    /// `value` as one line of JSON with sorted keys, no spaces and unescaped slashes.
    package static func document(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            return String(decoding: try encoder.encode(value), as: UTF8.self)
        } catch {
            // Only a non-finite number fails, and textclf's documents hold none.
            preconditionFailure("cannot encode \(type(of: value)) as JSON: \(error)")
        }
    }

    /// `text` as a JSON string literal: quotes, backslashes and control characters escaped,
    /// everything else as it is.
    public static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case "\u{00}" ..< "\u{20}":
                let hex = String(scalar.value, radix: 16)
                result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}
