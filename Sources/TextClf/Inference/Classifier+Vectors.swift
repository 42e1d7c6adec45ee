import Foundation

/// The model's token vectors, as fastText's `print-word-vectors` composes them: a token's row
/// and its subword rows averaged (the row alone without subwords), an unknown word the mean of
/// its subword rows, or the `<unk>` row when it has none (always, without subwords).
extension Classifier {
    /// The composed vector of `word`, taken as one token as spelled (not tokenized, lowercased
    /// or normalized): D values.
    public func vector(of word: String) -> [Float] {
        let id = vocabulary.id(for: word)
        let rows = hashedRows?.bag(of: word, id: id) ?? [id]
        let D = configuration.dim
        var sum = [Float](repeating: 0, count: D)
        let weight = network.embedding.weight
        for row in rows {
            for j in 0 ..< D { sum[j] += weight[Int(row), j] }
        }
        let inverse = 1 / Float(rows.count)
        return sum.map { $0 * inverse }
    }

    /// Writes the vectors in the `.vec` text format (first line `count dim`, then `token v₁ … v_D`),
    /// which `train --pretrained-vectors` reads: those of `words` in order, or without `words`
    /// those of every vocabulary token but `<pad>` and `<unk>`.
    /// - Returns: the number of vectors written.
    /// - Throws: `FileError` when writing fails.
    package func writeVectors(words: [String]?, to output: BufferedOutput) throws -> Int {
        let tokens = words ?? (Vocabulary.specialCount ..< vocabulary.count).map { vocabulary.token(for: Int32($0)) }
        try output.write("\(tokens.count) \(configuration.dim)\n")
        for token in tokens {
            try output.write(token + " " + vector(of: token).map { "\($0)" }.joined(separator: " ") + "\n")
        }
        try output.flush()
        return tokens.count
    }

    /// Writes the vectors in the `.vec` text format (first line `count dim`, then
    /// `token v₁ … v_D`), which `train --pretrained-vectors` reads, to `url`, atomically: a
    /// failure leaves no file behind.
    /// - Parameters:
    ///   - url: the `.vec` file to write.
    ///   - words: the words whose vectors to write; nil for the whole vocabulary.
    /// - Returns: the number of vectors written.
    /// - Throws: `FileError` when the file cannot be written.
    @discardableResult
    public func writeVectors(to url: URL, words: [String]? = nil) throws -> Int {
        try AtomicFileWriter.write(to: url.relativePath) { try writeVectors(words: words, to: $0) }
    }
}
