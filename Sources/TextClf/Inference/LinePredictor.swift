/// Classifies a stream of lines: one output line per input line, in order, empty lines
/// included. Lines are read, classified and written a batch at a time, so memory follows the
/// longest line and the batch, never the input's size.
package struct LinePredictor {
    package let classifier: Classifier
    package let format: PredictionFormat
    /// Lines per batch; each batch is written and flushed before the next is read.
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

    /// Reads `input` to its end and writes the predictions to `output`.
    /// - Throws: `FileError` on a read or write error (`closedPipe` when the reader left).
    package func run(input: LineReader, output: BufferedOutput) throws -> Summary {
        var summary = Summary()
        var texts: [String] = []
        texts.reserveCapacity(batchSize)
        while true {
            texts.removeAll(keepingCapacity: true)
            while texts.count < batchSize, let line = try input.nextString() {
                texts.append(PredictionFormat.strippingLabels(line))
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
