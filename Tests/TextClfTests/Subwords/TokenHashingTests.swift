import Testing
@testable import TextClf

/// The expected numbers were computed independently, in Python, from the definitions in
/// `TokenHashing`'s documentation.
@Suite("token hashing")
struct TokenHashingTests {
    @Test func fnv1aMatchesIndependentValues() {
        #expect(TokenHashing.fnv1a32("") == 2_166_136_261)
        #expect(TokenHashing.fnv1a32("a") == 3_826_002_220)
        #expect(TokenHashing.fnv1a32("hello") == 1_335_831_723)
        #expect(TokenHashing.fnv1a32("好") == 1_106_936_326)
        #expect(TokenHashing.fnv1a32("where") == 90_969_176)
    }

    @Test func wordNgramRowsCombineTokenHashesAsFastTextDoes() {
        var rows: [Int32] = []
        let hashes = ["the", "quick", "fox"].map(TokenHashing.fnv1a32)
        TokenHashing.appendWordNgramRows(tokenHashes: hashes, maxN: 3, firstRow: 10, buckets: 1000, to: &rows)
        // (the quick), (the quick fox), (quick fox): by start position, then length.
        #expect(rows == [602, 560, 732])
        rows = []
        TokenHashing.appendWordNgramRows(tokenHashes: hashes, maxN: 1, firstRow: 10, buckets: 1000, to: &rows)
        #expect(rows.isEmpty)
    }

    @Test func wordNgramHashesAreNotSignExtended() {
        // fnv1a32("a") has its top bit set: sign extension would give another row.
        var rows: [Int32] = []
        let hash = TokenHashing.fnv1a32("a")
        TokenHashing.appendWordNgramRows(tokenHashes: [hash, hash], maxN: 2, firstRow: 3, buckets: 2_000_000, to: &rows)
        #expect(rows == [1_605_843])
    }

    @Test func subwordsOfWhereAreFastTextsCharacterNgrams() {
        #expect(TokenHashing.subwords(of: "where", minn: 3, maxn: 6) == [
            "<wh", "<whe", "<wher", "<where", "whe", "wher", "where", "where>",
            "her", "here", "here>", "ere", "ere>", "re>",
        ])
        var rows: [Int32] = []
        TokenHashing.appendSubwordRows(of: "where", minn: 3, maxn: 6, firstRow: 10, buckets: 1000, to: &rows)
        #expect(rows == [662, 725, 717, 596, 951, 631, 186, 244, 430, 821, 1001, 43, 479, 508])
    }

    @Test func subwordsSkipTheLoneBracketsAndCountGraphemes() {
        #expect(TokenHashing.subwords(of: "好", minn: 1, maxn: 2) == ["<好", "好", "好>"])
        var rows: [Int32] = []
        TokenHashing.appendSubwordRows(of: "好", minn: 1, maxn: 2, firstRow: 10, buckets: 1000, to: &rows)
        #expect(rows == [114, 336, 850])
        // One grapheme of two code points (e + combining acute), and a flag of two scalars.
        #expect(TokenHashing.subwords(of: "e\u{301}", minn: 1, maxn: 1) == ["e\u{301}"])
        #expect(TokenHashing.subwords(of: "🇫🇷", minn: 3, maxn: 3) == ["<🇫🇷>"])
        // The whole bracketed token is a subword only when its length is in range.
        #expect(TokenHashing.subwords(of: "ab", minn: 4, maxn: 4) == ["<ab>"])
        #expect(TokenHashing.subwords(of: "a", minn: 4, maxn: 6).isEmpty)
    }

    @Test func positionsAreBagsOfTheTokensRows() throws {
        let vocabulary = try Vocabulary(tokens: [("where", 3), ("is", 2)], tokenizer: Tokenizer(level: .space))
        let rows = try #require(HashedRows(vocabulary: vocabulary, wordNgrams: 2, minn: 3, maxn: 6, buckets: 1000))
        var expectedWhere: [Int32] = []
        TokenHashing.appendSubwordRows(of: "where", minn: 3, maxn: 6, firstRow: 4, buckets: 1000, to: &expectedWhere)
        #expect(rows.bag(of: "where", id: 2) == [2] + expectedWhere)
        // "is" has one subword of length 3 or more: "<is", "is>", "<is>".
        #expect(rows.bag(of: "is", id: 3).count == 4)
        // An unknown token is its subwords alone; without any, the <unk> row.
        var expectedZebra: [Int32] = []
        TokenHashing.appendSubwordRows(of: "zebra", minn: 3, maxn: 6, firstRow: 4, buckets: 1000, to: &expectedZebra)
        #expect(rows.bag(of: "zebra", id: Vocabulary.unknownID) == expectedZebra)
        let long = try #require(HashedRows(vocabulary: vocabulary, wordNgrams: 1, minn: 5, maxn: 6, buckets: 1000))
        #expect(long.bag(of: "x", id: Vocabulary.unknownID) == [Vocabulary.unknownID])

        var builder = HashedRows.Builder(rows)
        builder.encode("where is zebra", session: vocabulary.tokenizer.makeSession(), vocabulary: vocabulary, maxLength: 256)
        let example = builder.example
        #expect(example.tokenCount == 3)
        #expect(Array(example.ids.prefix(3)) == [2, 3, Vocabulary.unknownID])
        // The unknown token's n-gram hash is its spelling's, not <unk>'s.
        var ngrams: [Int32] = []
        TokenHashing.appendWordNgramRows(tokenHashes: ["where", "is", "zebra"].map(TokenHashing.fnv1a32), maxN: 2,
                                         firstRow: 4, buckets: 1000, to: &ngrams)
        #expect(Array(example.ids.dropFirst(3)) == ngrams)
        #expect(example.unknownRowCounts == [0, 0, Int32(expectedZebra.count), 0, 0])
        #expect(example.unknownRows == expectedZebra)
    }

    @Test func ngramsFollowTheLengthLimit() throws {
        let vocabulary = try Vocabulary(tokens: [("a", 1), ("b", 1)], tokenizer: Tokenizer(level: .space))
        let rows = try #require(HashedRows(vocabulary: vocabulary, wordNgrams: 3, minn: 0, maxn: 0, buckets: 50))
        var builder = HashedRows.Builder(rows)
        let truncated = builder.encode("a b a b", session: vocabulary.tokenizer.makeSession(), vocabulary: vocabulary, maxLength: 2)
        #expect(truncated)
        #expect(builder.example.tokenCount == 2)
        #expect(builder.example.ids.count == 3)  // a, b, then the one 2-gram (a b)
    }
}
