/// The texts that `textclf classify` reads from one input, in order (SPEC §2).
///
/// Without a format every line is a text, empty lines included, with its leading
/// `__label__X` tokens dropped (as fastText's `predict` does). With a corpus format each record's
/// text field is a text and its labels are dropped; a record may span lines (CSV), and blank
/// lines hold no record, as when the corpus is read for training.
///
/// ```swift
/// let input = try ClassifyInput(lines: LineReader(path: "corpora/manpages_langid/test.tsv"), format: .tsv)
/// while let text = try input.next() { print(text) }
/// ```
package final class ClassifyInput {
    private let lines: LineReader
    private let records: CorpusReader?

    /// Reads texts from `lines`: whole lines without a format, record text fields with one.
    /// - Throws: ``CorpusError`` for the dir format or a bad CSV header, ``FileError`` on a
    ///   read error.
    package init(lines: LineReader, format: CorpusFormat? = nil) throws {
        self.lines = lines
        records = try format.map { try CorpusReader(lines: lines, format: $0) }
    }

    /// The next text, or nil at the end of the input.
    /// - Throws: ``CorpusError/malformedRecord(file:line:reason:)`` naming the input and line of
    ///   a record that does not follow the format, or ``FileError`` on a read error.
    package func next() throws -> String? {
        if let records { return try records.next()?.text }
        return try lines.nextString().map(PredictionFormat.strippingLabels)
    }

    /// Whether ``next()`` can start without waiting for more input (``LineReader/hasLineReady()``).
    package func hasTextReady() throws -> Bool {
        try lines.hasLineReady()
    }

    /// Invalid UTF-8 sequences replaced by U+FFFD so far.
    package var replacements: Int { lines.replacements }
}
