import Foundation

/// textclf's exit statuses (SPEC §2).
enum ExitStatus {
    static let failure: Int32 = 1
    static let usage: Int32 = 2
}

/// Messages for the user, all on standard error so standard output carries only data.
enum Diagnostics {
    /// Writes `text` and a newline to standard error.
    static func write(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    /// The one-line error report: `textclf: error: <what went wrong>`.
    static func error(_ message: String) {
        write("textclf: error: " + oneLine(message))
    }

    /// A one-line warning: `textclf: warning: <text>`.
    static func warning(_ text: String) {
        write("textclf: warning: " + oneLine(text))
    }

    private static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).joined(separator: " ")
    }
}
