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

    /// Runs `body(chunk)` once for every chunk in `0..<count`, in any order or in parallel;
    /// each call writes only its own chunk. Encoding gives the same result whichever runner
    /// runs it (``serial`` by default; the trainer passes its parallel loop).
    package typealias ChunkRunner = (_ count: Int, _ body: (Int) -> Void) -> Void

    /// Runs the chunks one after another on the calling thread.
    package static func serial(_ count: Int, _ body: (Int) -> Void) {
        for chunk in 0..<count { body(chunk) }
    }

    /// Examples per chunk: enough that merging the chunks' counts (their distinct tokens,
    /// repeated across chunks) stays small beside tokenizing them.
    static let chunkSize = 4096
    /// Chunks read before they are tokenized together, which bounds the texts held in memory.
    static let chunksPerBlock = 8

    /// Reads and encodes a training corpus, building the vocabulary from it (tokens seen at
    /// least `minCount` times, at most `maxSize`) unless `vocabulary` is given.
    ///
    /// Every text is tokenized once: chunks of examples are tokenized by `runner` (a session
    /// and a token counter per chunk), their counts are merged in chunk order, and the tokens
    /// are then mapped to vocabulary ids. The vocabulary orders tokens by count and bytes, so
    /// the result is the same for any runner and any chunking. With `hashing` (word n-grams or
    /// subwords) the examples also carry their hashed rows, which each chunk builds from its
    /// tokens' ids and spellings: as it tokenizes with a given vocabulary, else once the
    /// vocabulary is built, from the corpus counter that spells every token.
    /// - Throws: `CorpusError` for unreadable or malformed input, a corpus without labels, with
    ///   fewer than two labels, or (single-label) an example with several.
    package static func training(_ source: ExampleSource, tokenizer: Tokenizer,
                                 vocabulary given: Vocabulary?, minCount: Int = 1, maxSize: Int? = nil,
                                 maxLength: Int, multilabel: Bool, hashing: HashedRows.Options? = nil,
                                 runner: ChunkRunner = serial) throws -> Training {
        let path = source.name
        let reader = try source.makeReader()
        let sessionTokenizer = given?.tokenizer ?? tokenizer
        var labelIndex: [String: Int32] = [:], labelNames: [String] = []
        var report = Report()
        // Each chunk's counts join the corpus's as soon as its block is done, so that only one
        // block's worth of per-chunk counters is held at a time.
        var counter = TokenCounter(), slotMaps: [[Int32]] = []
        let givenRows = given.flatMap { vocabulary in hashing.flatMap { HashedRows(vocabulary: vocabulary, options: $0) } }
        var chunks = try encodeChunks(reader, report: &report, runner: runner,
                                      prototype: EncodedChunk(hashedRows: givenRows)) { example in
            try checkLabelCount(example, file: reader.currentFile, multilabel: multilabel)
            return Set(example.labels).sorted().map { label in
                if let index = labelIndex[label] { return index }
                labelIndex[label] = Int32(labelNames.count)
                labelNames.append(label)
                return Int32(labelNames.count - 1)
            }
        } encode: { session, text, chunk in
            if let given { return chunk.encode(text, session: session, vocabulary: given, maxLength: maxLength) }
            return chunk.count(text, session: session, maxLength: maxLength)
        } session: {
            sessionTokenizer.makeSession()
        } finish: { chunk in
            guard given == nil else { return }
            slotMaps.append(counter.merge(chunk.counter))
            chunk.counter = TokenCounter()
        }
        guard report.examples > 0 else { throw CorpusError.empty(file: path) }
        guard chunks.contains(where: { $0.exampleCount > 0 }) else { throw CorpusError.noTokens(file: path) }
        guard labelNames.count >= 2 else { throw CorpusError.tooFewLabels(file: path, labels: labelNames) }

        var vocabulary: Vocabulary, hashedRows = givenRows
        if let given {
            vocabulary = given
        } else {
            vocabulary = Vocabulary(counts: counter, tokenizer: tokenizer, minCount: minCount, maxSize: maxSize)
            let finalIDs = counter.finalIDs(in: vocabulary)
            let rows = hashing.flatMap { HashedRows(vocabulary: vocabulary, options: $0) }
            let corpusCounter = counter
            hashedRows = rows
            chunks.withUnsafeMutableBufferPointer { chunks in
                let base = chunks.baseAddress!
                runner(chunks.count) { chunk in
                    let slotMap = slotMaps[chunk]
                    if let rows {
                        // The corpus counter still spells every token, which an unknown token's
                        // subwords and every token's n-gram hash need.
                        base[chunk].hashTokens(rows: rows) { slot, body in
                            let global = Int(slotMap[Int(slot)])
                            corpusCounter.table.withBytes(at: global) { body($0, finalIDs[global]) }
                        }
                    } else {
                        base[chunk].mapTokens { finalIDs[Int(slotMap[Int($0)])] }
                    }
                }
            }
        }
        let sortedLabels = labelNames.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        var labelMap = [Int32](repeating: 0, count: labelNames.count)
        for (final, label) in sortedLabels.enumerated() { labelMap[Int(labelIndex[label]!)] = Int32(final) }
        let dataset = assemble(&chunks, hashedRows: hashedRows) { labels in
            labels.map { labelMap[Int($0)] }.sorted()
        }
        return Training(dataset: dataset, vocabulary: vocabulary, labels: sortedLabels, report: report)
    }

    /// Reads and encodes a validation or test corpus with a fixed vocabulary and label list,
    /// its chunks tokenized by `runner`; with `hashedRows`, the examples carry them too.
    /// - Throws: `CorpusError.unknownLabel` naming the file and line of a label outside
    ///   `labels`, and the reading errors of `training`.
    package static func evaluation(_ source: ExampleSource, vocabulary: Vocabulary, labels: [String],
                                   maxLength: Int, multilabel: Bool, hashedRows: HashedRows? = nil,
                                   runner: ChunkRunner = serial) throws -> Evaluation {
        let path = source.name
        let reader = try source.makeReader()
        var index: [String: Int32] = [:]
        for (i, label) in labels.enumerated() { index[label] = Int32(i) }
        var report = Report()
        var chunks = try encodeChunks(reader, report: &report, runner: runner,
                                      prototype: EncodedChunk(hashedRows: hashedRows)) { example in
            try checkLabelCount(example, file: reader.currentFile, multilabel: multilabel)
            return try Set(example.labels).map { label -> Int32 in
                guard let id = index[label] else {
                    throw CorpusError.unknownLabel(file: reader.currentFile, line: example.line, label: label)
                }
                return id
            }.sorted()
        } encode: { session, text, chunk in
            chunk.encode(text, session: session, vocabulary: vocabulary, maxLength: maxLength)
        } session: {
            vocabulary.tokenizer.makeSession()
        } finish: { _ in
        }
        guard report.examples > 0 else { throw CorpusError.empty(file: path) }
        return Evaluation(dataset: assemble(&chunks, hashedRows: hashedRows) { $0 }, report: report)
    }

    /// The examples of one chunk, tokenized: their tokens, labels, and (while a vocabulary is
    /// being built) the chunk's own token counts, whose slots the tokens hold until mapped.
    struct EncodedChunk {
        var counter = TokenCounter()
        var tokens: [Int32] = []
        var tokenOffsets: [Int] = [0]
        var labels: [Int32] = []
        var labelOffsets: [Int] = [0]
        var truncated = 0
        var skippedEmpty = 0
        /// With word n-grams or subwords, once the tokens are ids: the examples' hashed rows
        /// (`tokens` then holds each example's ids and n-gram rows).
        var hashed: HashedStorage?
        private var builder: HashedRows.Builder?
        private var scratch: [Int32] = []

        /// An empty chunk whose examples, encoded with a given vocabulary, carry `hashedRows`.
        init(hashedRows: HashedRows? = nil) {
            hashed = hashedRows.map(HashedStorage.init(rows:))
            builder = hashedRows.map(HashedRows.Builder.init)
        }

        /// Examples kept (those with at least one token).
        var exampleCount: Int { tokenOffsets.count - 1 }

        /// Appends the ids in `vocabulary` of the first `maxLength` tokens `session` finds in
        /// `text` (and, with hashed rows, the example's n-gram and subword rows).
        /// - Returns: whether tokens were dropped.
        mutating func encode(_ text: String, session: TokenizerSession, vocabulary: Vocabulary, maxLength: Int) -> Bool {
            guard builder != nil else {
                let truncated = session.encode(text, with: vocabulary, maxLength: maxLength, into: &scratch)
                tokens.append(contentsOf: scratch)
                return truncated
            }
            let truncated = builder!.encode(text, session: session, vocabulary: vocabulary, maxLength: maxLength)
            // An example without tokens is skipped by `finishExample`, so it stores no rows.
            if !builder!.example.ids.isEmpty {
                tokens.append(contentsOf: builder!.example.ids)
                hashed!.append(builder!.example)
            }
            return truncated
        }

        /// Replaces the counter slots of every example by the example `rows` builds from them:
        /// `spell(slot, body)` calls `body` with the slot's token bytes and vocabulary id.
        mutating func hashTokens(rows: HashedRows,
                                 spell: (Int32, (UnsafeBufferPointer<UInt8>, Int32) -> Void) -> Void) {
            var builder = HashedRows.Builder(rows), storage = HashedStorage(rows: rows)
            var ids: [Int32] = [], offsets = [0]
            ids.reserveCapacity(tokens.count)
            offsets.reserveCapacity(tokenOffsets.count)
            for example in 0..<exampleCount {
                builder.reset()
                for slot in tokens[tokenOffsets[example] ..< tokenOffsets[example + 1]] {
                    spell(slot) { builder.add(token: $0, id: $1) }
                }
                builder.finish()
                ids.append(contentsOf: builder.example.ids)
                offsets.append(ids.count)
                storage.append(builder.example)
            }
            (tokens, tokenOffsets, hashed) = (ids, offsets, storage)
        }

        /// Counts every token `session` finds in `text` and appends the counter slots of the
        /// first `maxLength`.
        /// - Returns: whether tokens were dropped.
        mutating func count(_ text: String, session: TokenizerSession, maxLength: Int) -> Bool {
            var seen = 0
            session.forEachToken(in: text) { token in
                let slot = counter.add(token)
                seen += 1
                if seen <= maxLength { tokens.append(Int32(slot)) }
            }
            return seen > maxLength
        }

        /// Closes the example whose tokens were just appended: kept with `labels` when it has
        /// tokens, else counted as skipped.
        mutating func finishExample(labels exampleLabels: [Int32]) {
            guard tokens.count > tokenOffsets.last! else {
                skippedEmpty += 1
                return
            }
            tokenOffsets.append(tokens.count)
            labels.append(contentsOf: exampleLabels)
            labelOffsets.append(labels.count)
        }

        /// Replaces every token by `transform(token)`.
        mutating func mapTokens(_ transform: (Int32) -> Int32) {
            for i in tokens.indices { tokens[i] = transform(tokens[i]) }
        }
    }

    /// Reads every example of `reader`, taking its label indices from `labels` (called in
    /// reading order, so errors name the first bad line), and tokenizes the texts in chunks of
    /// ``chunkSize`` examples (each starting as a copy of `prototype`) with `encode`, a block of chunks at a time through `runner`, each
    /// chunk of a block with its own session from `session`. `finish` sees every chunk once,
    /// in reading order, as soon as its block is tokenized.
    /// - Returns: the chunks, in reading order.
    private static func encodeChunks(_ reader: ExampleReader, report: inout Report, runner: ChunkRunner,
                                     prototype: EncodedChunk,
                                     labels: (LabeledExample) throws -> [Int32],
                                     encode: (TokenizerSession, String, inout EncodedChunk) -> Bool,
                                     session: () -> TokenizerSession,
                                     finish: (inout EncodedChunk) -> Void) throws -> [EncodedChunk] {
        var chunks: [EncodedChunk] = []
        var block: [(text: String, labels: [Int32])] = []
        var sessions: [TokenizerSession] = []
        func tokenizeBlock() {
            let count = (block.count + chunkSize - 1) / chunkSize
            while sessions.count < count { sessions.append(session()) }
            var encoded = [EncodedChunk](repeating: prototype, count: count)
            let (examples, sessions) = (block, sessions)
            withoutActuallyEscaping(encode) { encode in
                encoded.withUnsafeMutableBufferPointer { encoded in
                    let base = encoded.baseAddress!
                    runner(count) { chunk in
                        for example in examples[chunk * chunkSize ..< min(examples.count, (chunk + 1) * chunkSize)] {
                            if encode(sessions[chunk], example.text, &base[chunk]) { base[chunk].truncated += 1 }
                            base[chunk].finishExample(labels: example.labels)
                        }
                    }
                }
            }
            for chunk in encoded.indices { finish(&encoded[chunk]) }
            chunks += encoded
            block.removeAll(keepingCapacity: true)
        }
        while let example = try reader.next() {
            report.examples += 1
            block.append((example.text, try labels(example)))
            if block.count == chunkSize * chunksPerBlock { tokenizeBlock() }
        }
        tokenizeBlock()
        report.replacements = reader.replacements
        report.truncated = chunks.reduce(0) { $0 + $1.truncated }
        report.skippedEmpty = chunks.reduce(0) { $0 + $1.skippedEmpty }
        return chunks
    }

    /// The chunks' examples in order, as one dataset of `hashedRows` (nil: plain ids), each
    /// example's labels passed through `labels`. Each chunk is emptied once copied, so the
    /// corpus is not held twice.
    private static func assemble(_ chunks: inout [EncodedChunk], hashedRows: HashedRows?,
                                 labels: ([Int32]) -> [Int32]) -> EncodedDataset {
        var dataset = EncodedDataset(hashedRows: hashedRows)
        for index in chunks.indices {
            let chunk = chunks[index]
            chunks[index] = EncodedChunk()
            for example in 0..<chunk.exampleCount {
                let positions = chunk.tokenOffsets[example] ..< chunk.tokenOffsets[example + 1]
                dataset.append(tokens: chunk.tokens[positions],
                               labels: labels(Array(chunk.labels[chunk.labelOffsets[example] ..< chunk.labelOffsets[example + 1]])))
                if let source = chunk.hashed { dataset.hashed!.append(copying: example, of: source, tokens: positions) }
            }
        }
        return dataset
    }

    static func checkLabelCount(_ example: LabeledExample, file: String, multilabel: Bool) throws {
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
    /// For every slot, the id its token has in `vocabulary` (the unknown id when left out).
    func finalIDs(in vocabulary: Vocabulary) -> [Int32] {
        (0..<table.count).map { slot in table.withBytes(at: slot) { vocabulary.id(forUTF8: $0) } }
    }
}
