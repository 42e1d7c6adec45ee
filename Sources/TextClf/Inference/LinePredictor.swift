/// Classifies a stream of texts: one output line per text, in order, empty lines included.
/// Texts are read, classified and written a batch at a time, so memory follows the longest
/// text and the batch, never the input's size. A batch also ends where the input pauses
/// (a terminal, `tail -f`), so every text read gets its answer before the next wait.
package struct LinePredictor {
    package let classifier: Classifier
    package let format: PredictionFormat
    /// Texts per batch at most; each batch is written and flushed before the next is read.
    package let batchSize: Int

    package init(classifier: Classifier, format: PredictionFormat, batchSize: Int = 512) {
        precondition(batchSize >= 1, "batch size must be positive")
        self.classifier = classifier
        self.format = format
        self.batchSize = batchSize
    }

    /// What a run read.
    package struct Summary: Equatable, Sendable {
        package var lines = 0
        /// Lines with tokens beyond the model's maximum length, which were dropped.
        package var truncated = 0
        /// Invalid UTF-8 sequences replaced by U+FFFD.
        package var replacements = 0
    }

    /// Reads `input` to its end and writes the predictions to `output`, flushing after each
    /// batch. A batch holds at most ``batchSize`` texts and ends early when no further text is
    /// ready; the output is the same either way.
    /// - Throws: `FileError` on a read or write error (`closedPipe` when the reader left),
    ///   ``CorpusError`` for a malformed record.
    package func run(input: ClassifyInput, output: BufferedOutput) throws -> Summary {
        var summary = Summary()
        // One text buffer, one table and one writer serve every batch: no allocation per line.
        let texts = TextBatch(), table = ProbabilityTable()
        let writer = PredictionWriter(format: format, classifier: classifier)
        while true {
            texts.removeAll()
            while texts.count < batchSize {
                if texts.count > 0, try !input.hasTextReady() { break }
                guard try input.next(into: texts) else { break }
            }
            if texts.count == 0 { break }
            classifier.probabilities(of: texts, into: table)
            for index in 0..<texts.count {
                try writer.write(text: texts.text(index), probabilities: table.row(index), to: output)
            }
            try output.flush()
            summary.lines += texts.count
            summary.truncated += table.truncated
        }
        summary.replacements = input.replacements
        return summary
    }
}
