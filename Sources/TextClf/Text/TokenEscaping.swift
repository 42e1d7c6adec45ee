/// A token in a form that fits one tab-separated field of one line: backslash, tab, newline
/// and carriage return written as `\\`, `\t`, `\n`, `\r`. The vocabulary file stores tokens so,
/// and messages name tokens so.
enum TokenEscaping {
    /// `token` with backslash, tab, newline and carriage return escaped.
    static func escape(_ token: String) -> String {
        guard token.utf8.contains(where: { $0 == 0x5C || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) else {
            return token
        }
        var result = ""
        for scalar in token.unicodeScalars {
            switch scalar {
            case "\\": result += "\\\\"
            case "\t": result += "\\t"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// The token an escaped field spells; nil for an unknown or dangling escape.
    static func unescape(_ field: Substring) -> String? {
        guard field.utf8.contains(0x5C) else { return String(field) }
        var result = ""
        var escaping = false
        for scalar in field.unicodeScalars {
            if escaping {
                switch scalar {
                case "\\": result += "\\"
                case "t": result += "\t"
                case "n": result += "\n"
                case "r": result += "\r"
                default: return nil
                }
                escaping = false
            } else if scalar == "\\" {
                escaping = true
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return escaping ? nil : result
    }
}
