/// Writes labeled examples as fastText lines, TSV or JSONL, one example per line.
///
/// Line breaks and tabs inside a text would break the line formats, so fastText and TSV
/// write them as spaces; JSONL escapes them and keeps the text exact.
package struct CorpusWriter {
    /// The output formats; CSV and directories are read, not written.
    package enum Format: String, CaseIterable, Sendable {
        case fasttext, tsv, jsonl

        /// The format a file name implies, by the extension rule readers use
        /// (``CorpusFormat/init(extensionOf:)``): `.tsv`, `.jsonl`, otherwise fastText lines.
        /// - Throws: ``WriteError/unwritableFormat(path:format:)`` for a `.csv` name, which
        ///   readers would take for CSV.
        package init(path: String) throws(WriteError) {
            switch CorpusFormat(extensionOf: path) {
            case .tsv: self = .tsv
            case .jsonl: self = .jsonl
            case nil: self = .fasttext
            case let other?: throw WriteError.unwritableFormat(path: path, format: other)
            }
        }
    }

    /// Why an example cannot be written in a format.
    package enum WriteError: Error, Equatable, CustomStringConvertible {
        /// TSV holds exactly one label per example.
        case needsOneLabel(format: Format, labels: Int)
        /// fastText labels are words: no whitespace inside.
        case labelWithWhitespace(String)
        /// The file name implies a format that is read, never written (CSV).
        case unwritableFormat(path: String, format: CorpusFormat)

        package var description: String {
            switch self {
            case let .needsOneLabel(format, labels):
                return "\(format.rawValue) holds one label per example, this one has \(labels); use fasttext or jsonl"
            case let .labelWithWhitespace(label):
                return "the label '\(label)' contains whitespace, which fastText lines cannot hold"
            case let .unwritableFormat(path, format):
                return "\(path) names a \(format.rawValue) file, which is read but not written; "
                    + "name it .txt, .tsv or .jsonl, or give the format explicitly"
            }
        }
    }

    /// The format written.
    package let format: Format
    private let output: BufferedOutput

    /// Writes `format` lines to `output`.
    package init(format: Format, output: BufferedOutput) {
        self.format = format
        self.output = output
    }

    /// Writes one example as one line.
    package func write(_ example: LabeledExample) throws {
        try output.write(Self.line(for: example, format: format))
    }

    /// The line (with its newline) that represents `example` in `format`.
    package static func line(for example: LabeledExample, format: Format) throws -> String {
        switch format {
        case .fasttext:
            var line = ""
            for label in example.labels {
                guard !label.utf8.contains(where: ByteClass.isFastTextSpace) else {
                    throw WriteError.labelWithWhitespace(label)
                }
                line += FastTextLine.prefix + label + " "
            }
            return line + singleLine(example.text) + "\n"
        case .tsv:
            guard example.labels.count == 1 else {
                throw WriteError.needsOneLabel(format: .tsv, labels: example.labels.count)
            }
            return singleLine(example.labels[0]) + "\t" + singleLine(example.text) + "\n"
        case .jsonl:
            let text = JSONText.quoted(example.text)
            if example.labels.count == 1 {
                return "{\"text\":\(text),\"label\":\(JSONText.quoted(example.labels[0]))}\n"
            }
            let labels = example.labels.map(JSONText.quoted).joined(separator: ",")
            return "{\"text\":\(text),\"labels\":[\(labels)]}\n"
        }
    }

    private static func singleLine(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) else { return text }
        return String(text.map { $0 == "\n" || $0 == "\r" || $0 == "\r\n" || $0 == "\t" ? " " : $0 })
    }
}
