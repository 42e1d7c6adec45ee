import Foundation

/// The texts that `textclf classify` reads from one input, in order (SPEC §2).
///
/// Without a format every line is a text, empty lines included, with its leading
/// `__label__X` tokens dropped (as fastText's `predict` does). With a corpus format each record's
/// text field is a text and its labels are dropped; a record may span lines (CSV), and blank
/// lines hold no record, as when the corpus is read for training.
///
/// ```swift
/// let input = try ClassifyInput(lines: LineReader(path: "corpora/manpages_langid/test.tsv"), format: .tsv)
/// let texts = TextBatch()
/// while try input.next(into: texts) {}
/// ```
package final class ClassifyInput {
    private let lines: LineReader
    private let records: CorpusReader?
    /// Invalid UTF-8 sequences replaced in plain lines (a record reader counts its own).
    private var repairs = 0

    /// Reads texts from `lines`: whole lines without a format, record text fields with one.
    /// - Throws: ``CorpusError`` for the dir format or a bad CSV header, ``FileError`` on a
    ///   read error.
    package init(lines: LineReader, format: CorpusFormat? = nil) throws {
        self.lines = lines
        records = try format.map { try CorpusReader(lines: lines, format: $0) }
    }

    /// Appends the next text to `batch`: a plain line is read straight from the line buffer
    /// when it is valid UTF-8 (no `String` is made), otherwise repaired (invalid sequences
    /// become U+FFFD) and counted in ``replacements``.
    /// - Returns: false at the end of the input.
    /// - Throws: ``CorpusError/malformedRecord(file:line:reason:)`` naming the input and line of
    ///   a record that does not follow the format, or ``FileError`` on a read error.
    package func next(into batch: TextBatch) throws -> Bool {
        if let records {
            guard let record = try records.next() else { return false }
            batch.append(record.text)
            return true
        }
        guard let line = try lines.nextLine() else { return false }
        if UTF8Repair.isValid(line) {
            batch.append(utf8: UnsafeBufferPointer(rebasing: line[Self.textStart(line)...]))
        } else {
            // Replacements count over the whole line, labels included, as `LineReader.nextString` counts them.
            let (text, replaced) = UTF8Repair.decode(line)
            repairs += replaced
            batch.append(PredictionFormat.strippingLabels(text))
        }
        return true
    }

    /// Where the text of a line starts: after its leading `__label__` tokens and the
    /// separators after them (`FastTextLine.split` on bytes); 0 when there is no label.
    static func textStart(_ line: UnsafeBufferPointer<UInt8>) -> Int {
        let prefix: StaticString = "__label__"
        var i = 0, labeled = false
        while true {
            while i < line.count && ByteClass.isFastTextSpace(line[i]) { i += 1 }
            guard line.count - i >= prefix.utf8CodeUnitCount,
                  memcmp(line.baseAddress! + i, prefix.utf8Start, prefix.utf8CodeUnitCount) == 0 else { break }
            while i < line.count && !ByteClass.isFastTextSpace(line[i]) { i += 1 }
            labeled = true
        }
        return labeled ? i : 0
    }

    /// Whether ``next(into:)`` can start without waiting for more input (``LineReader/hasLineReady()``).
    package func hasTextReady() throws -> Bool {
        try lines.hasLineReady()
    }

    /// Invalid UTF-8 sequences replaced by U+FFFD so far.
    package var replacements: Int { lines.replacements + repairs }
}
