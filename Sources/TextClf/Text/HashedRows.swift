/// The hashed embedding rows a model with word n-grams or subwords adds to its tokens' rows
/// (SPEC §2), with everything precomputed that depends on the vocabulary alone: each token's
/// hash and the subword rows of each vocabulary token (a CSR table). ``TokenHashing`` defines
/// the rows.
///
/// A text becomes a sequence of *positions*, each embedded as the mean of a bag of rows
/// (`nn.EmbeddingBag(mode='mean')`):
/// - a known token: its own row, then its subword rows (just its row without subwords);
/// - an unknown token: its subword rows, or the `<unk>` row when it has none (or without subwords);
/// - with word n-grams (pool only), one position per n-gram after the tokens: its row alone.
public struct HashedRows: Sendable {
    /// V, the number of vocabulary ids; the hashed rows are V ..< V + ``buckets``.
    public let vocabularySize: Int
    /// The longest word n-gram (1: none).
    public let wordNgrams: Int
    /// The shortest and longest subword in graphemes (0: no subwords).
    public let minn: Int, maxn: Int
    /// B, the number of hashed rows.
    public let buckets: Int
    /// `fnv1a32` of each vocabulary token (word n-grams only).
    private let tokenHashes: [UInt32]
    /// The subword rows of vocabulary id i are `subwordRows[subwordOffsets[i] ..< subwordOffsets[i + 1]]`.
    private let subwordOffsets: [Int]
    private let subwordRows: [Int32]

    /// The options that call for hashed rows, as a model's configuration records them.
    public struct Options: Sendable, Equatable {
        /// The longest word n-gram (1: none).
        public var wordNgrams: Int
        /// The shortest and longest subword in graphemes (0: no subwords).
        public var minn: Int, maxn: Int
        /// B, the number of hashed rows.
        public var buckets: Int

        /// Options with these values.
        public init(wordNgrams: Int, minn: Int, maxn: Int, buckets: Int) {
            (self.wordNgrams, self.minn, self.maxn, self.buckets) = (wordNgrams, minn, maxn, buckets)
        }
    }

    /// The hashed rows of a model with `vocabulary` and `options`; nil when the options use none.
    public init?(vocabulary: Vocabulary, options: Options) {
        self.init(vocabulary: vocabulary, wordNgrams: options.wordNgrams, minn: options.minn,
                  maxn: options.maxn, buckets: options.buckets)
    }

    /// The hashed rows of a model with `vocabulary`; nil when the options use none.
    public init?(vocabulary: Vocabulary, wordNgrams: Int, minn: Int, maxn: Int, buckets: Int) {
        guard wordNgrams > 1 || minn > 0 else { return nil }
        precondition(buckets >= 1, "hashed rows need at least one bucket")
        vocabularySize = vocabulary.count
        self.wordNgrams = wordNgrams
        self.minn = minn
        self.maxn = maxn
        self.buckets = buckets
        let ordinary = Vocabulary.specialCount ..< vocabulary.count
        var hashes = [UInt32](repeating: 0, count: wordNgrams > 1 ? vocabulary.count : 0)
        var offsets = [Int](repeating: 0, count: minn > 0 ? Vocabulary.specialCount + 1 : 1)
        var rows: [Int32] = []
        for id in ordinary {
            let token = vocabulary.token(for: Int32(id))
            if wordNgrams > 1 { hashes[id] = TokenHashing.fnv1a32(token) }
            if minn > 0 {
                TokenHashing.appendSubwordRows(of: token, minn: minn, maxn: maxn, firstRow: vocabulary.count,
                                               buckets: buckets, to: &rows)
                offsets.append(rows.count)
            }
        }
        tokenHashes = hashes
        subwordOffsets = offsets
        subwordRows = rows
    }

    /// Whether tokens carry subword rows.
    public var usesSubwords: Bool { minn > 0 }

    /// The subword rows of vocabulary id `id` (empty for `<pad>` and `<unk>`, and without subwords).
    public func subwordRows(ofVocabularyID id: Int) -> ArraySlice<Int32> {
        guard usesSubwords, id >= Vocabulary.specialCount, id < vocabularySize else { return [] }
        return subwordRows[subwordOffsets[id] ..< subwordOffsets[id + 1]]
    }

    /// The rows whose mean embeds `token` (of vocabulary id `id`, ``Vocabulary/unknownID`` when
    /// unknown): the definition of a token position above.
    public func bag(of token: String, id: Int32) -> [Int32] {
        if id != Vocabulary.unknownID { return [id] + subwordRows(ofVocabularyID: Int(id)) }
        var rows: [Int32] = []
        if usesSubwords {
            TokenHashing.appendSubwordRows(of: token, minn: minn, maxn: maxn, firstRow: vocabularySize,
                                           buckets: buckets, to: &rows)
        }
        return rows.isEmpty ? [Vocabulary.unknownID] : rows
    }

    /// One text's positions as they are stored: the token ids then the n-gram rows, and for
    /// each token the subword rows it carries beyond the vocabulary's table (an unknown
    /// token's; known tokens carry none).
    public struct Example: Sendable, Equatable {
        /// The token ids (unknown ones as ``Vocabulary/unknownID``), then one row per word n-gram.
        public var ids: [Int32] = []
        /// The number of tokens; positions past it are n-grams.
        public var tokenCount = 0
        /// Per position, how many rows of ``unknownRows`` it owns (empty without subwords).
        public var unknownRowCounts: [Int32] = []
        /// The subword rows of the unknown tokens, in position order.
        public var unknownRows: [Int32] = []
    }

    /// Builds an ``Example`` token by token, reusing its storage across texts.
    public struct Builder: Sendable {
        /// The rows it computes.
        public let rows: HashedRows
        /// The example built so far.
        public private(set) var example = Example()
        private var hashes: [UInt32] = []

        /// A builder of `rows`' examples.
        public init(_ rows: HashedRows) { self.rows = rows }

        /// Forgets the example, keeping the storage.
        public mutating func reset() {
            example.ids.removeAll(keepingCapacity: true)
            example.tokenCount = 0
            example.unknownRowCounts.removeAll(keepingCapacity: true)
            example.unknownRows.removeAll(keepingCapacity: true)
            hashes.removeAll(keepingCapacity: true)
        }

        /// Adds the token spelled by `bytes`, whose vocabulary id is `id`.
        public mutating func add(token bytes: UnsafeBufferPointer<UInt8>, id: Int32) {
            example.ids.append(id)
            example.tokenCount += 1
            let unknown = id == Vocabulary.unknownID
            if rows.wordNgrams > 1 {
                hashes.append(unknown ? TokenHashing.fnv1a32(bytes) : rows.tokenHashes[Int(id)])
            }
            guard rows.usesSubwords else { return }
            let before = example.unknownRows.count
            if unknown {
                TokenHashing.appendSubwordRows(of: String(decoding: bytes, as: UTF8.self), minn: rows.minn,
                                               maxn: rows.maxn, firstRow: rows.vocabularySize,
                                               buckets: rows.buckets, to: &example.unknownRows)
            }
            example.unknownRowCounts.append(Int32(example.unknownRows.count - before))
        }

        /// Replaces the example with the first `maxLength` tokens of `text` (and its n-grams).
        /// - Returns: whether tokens past `maxLength` were dropped.
        @discardableResult
        public mutating func encode(_ text: String, session: TokenizerSession, vocabulary: Vocabulary,
                                    maxLength: Int) -> Bool {
            reset()
            var seen = 0
            session.forEachToken(in: text) { token in
                seen += 1
                if seen <= maxLength { add(token: token, id: vocabulary.id(forUTF8: token)) }
            }
            finish()
            return seen > maxLength
        }

        /// Appends the word n-gram rows as positions of their own; call once, after the last token.
        public mutating func finish() {
            TokenHashing.appendWordNgramRows(tokenHashes: hashes, maxN: rows.wordNgrams, firstRow: rows.vocabularySize,
                                             buckets: rows.buckets, to: &example.ids)
            if rows.usesSubwords {
                example.unknownRowCounts.append(contentsOf: repeatElement(0, count: example.ids.count - example.tokenCount))
            }
        }
    }
}
