extension Classifier {
    /// The probabilities of a chunk of texts for a model with word n-grams or subwords: the
    /// texts encoded as training encodes them (the same `HashedRows.Builder`), so the rows match.
    func probabilities(_ texts: ArraySlice<String>, hashedRows: HashedRows) -> Probabilities {
        let session = sessions.take()
        defer { sessions.give(session) }
        var builder = HashedRows.Builder(hashedRows)
        var dataset = EncodedDataset(hashedRows: hashedRows)
        var rowOfText: [Int?] = []
        var truncated = 0
        for text in texts {
            if builder.encode(text, session: session, vocabulary: vocabulary, maxLength: configuration.maxLength) {
                truncated += 1
            }
            let empty = builder.example.tokenCount == 0
            rowOfText.append(empty ? nil : dataset.count)
            if !empty { dataset.append(builder.example, labels: [Int32]()) }
        }
        guard dataset.count > 0 else { return Probabilities(rows: rowOfText.map { _ in nil }, truncated: truncated) }
        let batch = PaddedBatch(dataset, indices: 0 ..< dataset.count, minimumLength: network.encoder.minimumLength)
        var unused = SeededGenerator(seed: 0)
        let logits = network.forward(ids: batch.ids, bags: batch.bags, lengths: batch.lengths, maxLength: batch.maxLength,
                                     training: false, generator: &unused).logits
        return probabilities(logits: logits, rowOfText: rowOfText, truncated: truncated)
    }
}
