import Foundation

/// Turns labeled corpora into `EncodedDataset`s: each text tokenized once, its ids kept, its
/// labels mapped to indices of the model's label list.
package enum CorpusEncoder {
    /// What encoding a corpus noticed, for the warnings the CLI prints.
    package struct Report: Equatable, Sendable {
        /// Examples read.
        package var examples = 0
        /// Examples dropped because they held no token (empty lines, or only spaces and
        /// punctuation at word level).
        package var skippedEmpty = 0
        /// Examples with tokens beyond the maximum length, which were dropped.
        package var truncated = 0
        /// Invalid UTF-8 sequences replaced by U+FFFD.
        package var replacements = 0
    }

    /// A training corpus, encoded: its labels (sorted by UTF-8 bytes, the model's output order)
    /// and its vocabulary (the given one, or one built from this corpus).
    package struct Training: Sendable {
        package var dataset: EncodedDataset
        package var vocabulary: Vocabulary
        package var labels: [String]
        package var report: Report
    }

    /// A validation or test corpus, encoded, with what encoding noticed.
    package struct Evaluation: Sendable {
        package var dataset: EncodedDataset
        package var report: Report
    }

    /// Reads and encodes a training corpus, building the vocabulary from it (tokens seen at
    /// least `minCount` times, at most `maxSize`) unless `vocabulary` is given. With `hashing`
    /// (word n-grams or subwords), the examples also carry their hashed rows.
    /// - Throws: `CorpusError` for unreadable or malformed input, a corpus without labels, with
    ///   fewer than two labels, or (single-label) an example with several.
    package static func training(_ source: ExampleSource, tokenizer: Tokenizer,
                                 vocabulary given: Vocabulary?, minCount: Int = 1, maxSize: Int? = nil,
                                 maxLength: Int, multilabel: Bool, hashing: HashedRows.Options? = nil) throws -> Training {
        let path = source.name
        let reader = try source.makeReader()
        let session = (given?.tokenizer ?? tokenizer).makeSession()
        var counter = TokenCounter()
        var labelIndex: [String: Int32] = [:], labelNames: [String] = []
        // Provisional ids: counter slots while the vocabulary is being built, final ids with one given.
        let givenRows = given.flatMap { vocabulary in hashing.flatMap { HashedRows(vocabulary: vocabulary, options: $0) } }
        var builder = givenRows.map(HashedRows.Builder.init)
        var provisional = EncodedDataset(hashedRows: givenRows)
        var report = Report()
        var ids: [Int32] = [], labels: [Int32] = []
        while let example = try reader.next() {
            report.examples += 1
            try checkLabelCount(example, file: reader.currentFile, multilabel: multilabel)
            ids.removeAll(keepingCapacity: true)
            if let given, builder != nil {
                if builder!.encode(example.text, session: session, vocabulary: given, maxLength: maxLength) { report.truncated += 1 }
                ids = builder!.example.ids
            } else if let given {
                if session.encode(example.text, with: given, maxLength: maxLength, into: &ids) { report.truncated += 1 }
            } else {
                var tokens = 0
                session.forEachToken(in: example.text) { token in
                    let slot = counter.add(token)
                    tokens += 1
                    if tokens <= maxLength { ids.append(Int32(slot)) }
                }
                if tokens > maxLength { report.truncated += 1 }
            }
            guard !ids.isEmpty else {
                report.skippedEmpty += 1
                continue
            }
            labels.removeAll(keepingCapacity: true)
            for label in Set(example.labels).sorted() {
                if labelIndex[label] == nil {
                    labelIndex[label] = Int32(labelNames.count)
                    labelNames.append(label)
                }
                labels.append(labelIndex[label]!)
            }
            if let builder {
                provisional.append(builder.example, labels: labels)
            } else {
                provisional.append(tokens: ids, labels: labels)
            }
        }
        report.replacements = reader.replacements
        guard report.examples > 0 else { throw CorpusError.empty(file: path) }
        guard provisional.count > 0 else { throw CorpusError.noTokens(file: path) }
        guard labelNames.count >= 2 else { throw CorpusError.tooFewLabels(file: path, labels: labelNames) }

        let vocabulary = given ?? Vocabulary(counts: counter, tokenizer: tokenizer, minCount: minCount, maxSize: maxSize)
        let tokenMap: [Int32]? = given == nil ? counter.finalIDs(in: vocabulary) : nil
        let sortedLabels = labelNames.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        var labelMap = [Int32](repeating: 0, count: labelNames.count)
        for (final, label) in sortedLabels.enumerated() { labelMap[Int(labelIndex[label]!)] = Int32(final) }

        let rows = hashing.flatMap { HashedRows(vocabulary: vocabulary, options: $0) }
        var dataset = EncodedDataset(hashedRows: rows)
        for example in 0..<provisional.count {
            let tokens = provisional.tokens(of: example)
            let finalLabels = provisional.labels(of: example).map { labelMap[Int($0)] }.sorted()
            if let tokenMap, let rows {
                dataset.append(counter.hashedExample(slots: tokens, finalIDs: tokenMap, rows: rows), labels: finalLabels)
            } else if given != nil {
                dataset.append(example: example, of: provisional, labels: finalLabels)
            } else if let tokenMap {
                dataset.append(tokens: tokens.map { tokenMap[Int($0)] }, labels: finalLabels)
            } else {
                dataset.append(tokens: tokens, labels: finalLabels)
            }
        }
        return Training(dataset: dataset, vocabulary: vocabulary, labels: sortedLabels, report: report)
    }

    /// Reads and encodes a validation or test corpus with a fixed vocabulary and label list;
    /// with `hashedRows`, the examples carry them too.
    /// - Throws: `CorpusError.unknownLabel` naming the file and line of a label outside
    ///   `labels`, and the reading errors of `training`.
    package static func evaluation(_ source: ExampleSource, vocabulary: Vocabulary, labels: [String],
                                   maxLength: Int, multilabel: Bool, hashedRows: HashedRows? = nil) throws -> Evaluation {
        let path = source.name
        let reader = try source.makeReader()
        let session = vocabulary.tokenizer.makeSession()
        var index: [String: Int32] = [:]
        for (i, label) in labels.enumerated() { index[label] = Int32(i) }
        var dataset = EncodedDataset(hashedRows: hashedRows)
        var builder = hashedRows.map(HashedRows.Builder.init)
        var report = Report()
        var ids: [Int32] = []
        while let example = try reader.next() {
            report.examples += 1
            try checkLabelCount(example, file: reader.currentFile, multilabel: multilabel)
            let labelIDs = try Set(example.labels).map { label -> Int32 in
                guard let id = index[label] else {
                    throw CorpusError.unknownLabel(file: reader.currentFile, line: example.line, label: label)
                }
                return id
            }.sorted()
            if builder != nil {
                if builder!.encode(example.text, session: session, vocabulary: vocabulary, maxLength: maxLength) { report.truncated += 1 }
                ids = builder!.example.ids
            } else if session.encode(example.text, with: vocabulary, maxLength: maxLength, into: &ids) {
                report.truncated += 1
            }
            guard !ids.isEmpty else {
                report.skippedEmpty += 1
                continue
            }
            if let builder {
                dataset.append(builder.example, labels: labelIDs)
            } else {
                dataset.append(tokens: ids, labels: labelIDs)
            }
        }
        report.replacements = reader.replacements
        guard report.examples > 0 else { throw CorpusError.empty(file: path) }
        return Evaluation(dataset: dataset, report: report)
    }

    private static func checkLabelCount(_ example: LabeledExample, file: String, multilabel: Bool) throws {
        if example.labels.isEmpty {
            throw CorpusError.malformedRecord(file: file, line: example.line, reason: "the example has no label")
        }
        if !multilabel && Set(example.labels).count > 1 {
            throw CorpusError.malformedRecord(
                file: file, line: example.line,
                reason: "the example has \(Set(example.labels).count) labels; train with --multilabel for several labels per example")
        }
    }
}

extension TokenCounter {
    /// The example of counter slots `slots` with their final ids and hashed rows.
    func hashedExample(slots: ArraySlice<Int32>, finalIDs: [Int32], rows: HashedRows) -> HashedRows.Example {
        var builder = HashedRows.Builder(rows)
        for slot in slots {
            table.withBytes(at: Int(slot)) { builder.add(token: $0, id: finalIDs[Int(slot)]) }
        }
        builder.finish()
        return builder.example
    }

    /// For every slot, the id its token has in `vocabulary` (the unknown id when left out).
    func finalIDs(in vocabulary: Vocabulary) -> [Int32] {
        (0..<table.count).map { slot in table.withBytes(at: slot) { vocabulary.id(forUTF8: $0) } }
    }
}
