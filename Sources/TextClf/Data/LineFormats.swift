/// fastText lines: `__label__A [__label__B] text`, labels first, separated by whitespace.
enum FastTextLine {
    static let prefix = "__label__"

    static func parse(_ line: String) throws(RecordError) -> LabeledExample {
        let bytes = line.utf8
        var labels: [String] = []
        var i = bytes.startIndex
        while true {
            while i < bytes.endIndex && ByteClass.isFastTextSpace(bytes[i]) { i = bytes.index(after: i) }
            guard bytes[i...].starts(with: prefix.utf8) else { break }
            var j = i
            while j < bytes.endIndex && !ByteClass.isFastTextSpace(bytes[j]) { j = bytes.index(after: j) }
            let label = line[i ..< j].dropFirst(prefix.count)
            guard !label.isEmpty else { throw RecordError("empty label after __label__") }
            labels.append(String(label))
            i = j
        }
        guard !labels.isEmpty else {
            throw RecordError("no __label__ at the start of the line (fastText format)")
        }
        return LabeledExample(text: String(line[i...]), labels: labels, line: 0)
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
