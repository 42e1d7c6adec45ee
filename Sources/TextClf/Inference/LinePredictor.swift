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
        var texts: [String] = []
        texts.reserveCapacity(batchSize)
        while true {
            texts.removeAll(keepingCapacity: true)
            while texts.count < batchSize {
                if !texts.isEmpty, try !input.hasTextReady() { break }
                guard let text = try input.next() else { break }
                texts.append(text)
            }
            if texts.isEmpty { break }
            let result = classifier.probabilities(texts)
            for (text, probabilities) in zip(texts, result.rows) {
                try output.write(format.line(text: text, probabilities: probabilities, classifier: classifier) + "\n")
            }
            try output.flush()
            summary.lines += texts.count
            summary.truncated += result.truncated
        }
        summary.replacements = input.replacements
        return summary
    }
}
