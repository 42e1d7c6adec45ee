/// Encoding with word n-gram and subword rows. It runs in one serial pass: the rows of an
/// unknown token come from its spelling, which the parallel chunks do not keep once their
/// tokens are mapped to ids.
extension CorpusEncoder {
    static func hashedTraining(_ source: ExampleSource, tokenizer: Tokenizer, vocabulary given: Vocabulary?,
                               minCount: Int, maxSize: Int?, maxLength: Int, multilabel: Bool,
                               hashing: HashedRows.Options) throws -> Training {
        let path = source.name
        let reader = try source.makeReader()
        let session = (given?.tokenizer ?? tokenizer).makeSession()
        var counter = TokenCounter()
        var labelIndex: [String: Int32] = [:], labelNames: [String] = []
        // Provisional ids: counter slots while the vocabulary is being built, final ids with one given.
        let givenRows = given.flatMap { HashedRows(vocabulary: $0, options: hashing) }
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

        let rows = HashedRows(vocabulary: vocabulary, options: hashing)
        var dataset = EncodedDataset(hashedRows: rows)
        for example in 0..<provisional.count {
            let finalLabels = provisional.labels(of: example).map { labelMap[Int($0)] }.sorted()
            if let tokenMap, let rows {
                dataset.append(counter.hashedExample(slots: provisional.tokens(of: example), finalIDs: tokenMap, rows: rows),
                               labels: finalLabels)
            } else {
                dataset.append(example: example, of: provisional, labels: finalLabels)
            }
        }
        return Training(dataset: dataset, vocabulary: vocabulary, labels: sortedLabels, report: report)
    }

    static func hashedEvaluation(_ source: ExampleSource, vocabulary: Vocabulary, labels: [String],
                                 maxLength: Int, multilabel: Bool, hashedRows: HashedRows) throws -> Evaluation {
        let path = source.name
        let reader = try source.makeReader()
        let session = vocabulary.tokenizer.makeSession()
        var index: [String: Int32] = [:]
        for (i, label) in labels.enumerated() { index[label] = Int32(i) }
        var dataset = EncodedDataset(hashedRows: hashedRows)
        var builder = HashedRows.Builder(hashedRows)
        var report = Report()
        while let example = try reader.next() {
            report.examples += 1
            try checkLabelCount(example, file: reader.currentFile, multilabel: multilabel)
            let labelIDs = try Set(example.labels).map { label -> Int32 in
                guard let id = index[label] else {
                    throw CorpusError.unknownLabel(file: reader.currentFile, line: example.line, label: label)
                }
                return id
            }.sorted()
            if builder.encode(example.text, session: session, vocabulary: vocabulary, maxLength: maxLength) { report.truncated += 1 }
            guard !builder.example.ids.isEmpty else {
                report.skippedEmpty += 1
                continue
            }
            dataset.append(builder.example, labels: labelIDs)
        }
        report.replacements = reader.replacements
        guard report.examples > 0 else { throw CorpusError.empty(file: path) }
        return Evaluation(dataset: dataset, report: report)
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
}
