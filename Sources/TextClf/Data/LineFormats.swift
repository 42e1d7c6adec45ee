/// fastText lines: `__label__A [__label__B] text`, labels first, separated by whitespace.
enum FastTextLine {
    static let prefix = "__label__"

    /// The leading `__label__` tokens of `line` (without the prefix; possibly empty) and the
    /// text after them. Tokens end at any of fastText's seven separators (space, tab, vertical
    /// tab, form feed, CR, LF, NUL), which are skipped before the text; a line without labels
    /// is all text, leading separators included. This is the one label parser: the corpus
    /// reader and `classify`'s label stripping both use it.
    static func split(_ line: String) -> (labels: [Substring], text: Substring) {
        let bytes = line.utf8
        var labels: [Substring] = []
        var i = bytes.startIndex
        while true {
            while i < bytes.endIndex && ByteClass.isFastTextSpace(bytes[i]) { i = bytes.index(after: i) }
            guard bytes[i...].starts(with: prefix.utf8) else { break }
            var j = i
            while j < bytes.endIndex && !ByteClass.isFastTextSpace(bytes[j]) { j = bytes.index(after: j) }
            labels.append(line[i ..< j].dropFirst(prefix.count))
            i = j
        }
        return (labels, labels.isEmpty ? line[...] : line[i...])
    }

    static func parse(_ line: String) throws(RecordError) -> LabeledExample {
        let (labels, text) = split(line)
        guard !labels.isEmpty else {
            throw RecordError("no __label__ at the start of the line (fastText format)")
        }
        guard !labels.contains(where: \.isEmpty) else { throw RecordError("empty label after __label__") }
        return LabeledExample(text: String(text), labels: labels.map(String.init), line: 0)
    }
}

/// TSV lines: `label<TAB>text`; the text may hold more tabs.
enum TSVLine {
    static func parse(_ line: String) throws(RecordError) -> LabeledExample {
        guard let tab = line.utf8.firstIndex(of: 0x09) else {
            throw RecordError("no tab between label and text (TSV format)")
        }
        let label = line[..<tab]
        guard !label.isEmpty else { throw RecordError("empty label before the tab") }
        return LabeledExample(text: String(line[line.utf8.index(after: tab)...]), labels: [String(label)], line: 0)
    }
}
