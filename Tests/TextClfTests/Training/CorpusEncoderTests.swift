import Foundation
import Testing
@_spi(Internals) @testable import TextClf

/// Tokenizing a corpus in chunks gives the same encoded data and vocabulary whatever runs the
/// chunks, and the same as tokenizing every text on its own.
@Suite("corpus encoder")
struct CorpusEncoderTests {
    private static let examples: [LabeledExample] = (0..<(3 * CorpusEncoder.chunkSize + 17)).map { i in
        let text = i % 500 == 0 ? "  " : "t\(i % 211) 詞\(i % 5)語 u\(i % 31) v\(i / 40) t\(i % 211) end"
        return LabeledExample(text: text, labels: ["l\(i % 4)"], line: i + 1)
    }

    /// Chunks in reverse order, one at a time: a runner nothing like the default.
    private static func reversed(_ count: Int, _ body: (Int) -> Void) {
        for chunk in (0..<count).reversed() { body(chunk) }
    }

    private static func parallel(_ count: Int, _ body: (Int) -> Void) {
        Parallel.withThreads(4) { Parallel.forEachShard(count, body) }
    }

    @Test func chunkedEncodingDoesNotDependOnTheRunner() throws {
        let runs = try [CorpusEncoder.serial, Self.reversed, Self.parallel].map { runner in
            try CorpusEncoder.training(.examples(Self.examples), tokenizer: Tokenizer(), vocabulary: nil, minCount: 2,
                                       maxLength: 4, multilabel: false, runner: runner)
        }
        for run in runs.dropFirst() {
            #expect(run.vocabulary == runs[0].vocabulary)
            #expect(run.labels == runs[0].labels && run.report == runs[0].report)
            #expect(run.dataset.count == runs[0].dataset.count)
            for example in 0..<run.dataset.count {
                #expect(run.dataset.tokens(of: example) == runs[0].dataset.tokens(of: example))
                #expect(run.dataset.labels(of: example) == runs[0].dataset.labels(of: example))
            }
        }
    }

    @Test func chunkedEncodingMatchesTokenizingEachTextAlone() throws {
        let run = try CorpusEncoder.training(.examples(Self.examples), tokenizer: Tokenizer(), vocabulary: nil, minCount: 2,
                                             maxLength: 4, multilabel: false, runner: Self.parallel)
        var counter = TokenCounter()
        let session = Tokenizer().makeSession()
        for example in Self.examples { session.forEachToken(in: example.text) { counter.add($0) } }
        let vocabulary = Vocabulary(counts: counter, tokenizer: Tokenizer(), minCount: 2)
        #expect(run.vocabulary == vocabulary)
        let kept = Self.examples.filter { !session.tokens($0.text).isEmpty }
        #expect(run.dataset.count == kept.count && run.report.skippedEmpty == Self.examples.count - kept.count)
        #expect(run.report.truncated == kept.count)
        var ids: [Int32] = []
        for (index, example) in kept.enumerated() {
            session.encode(example.text, with: vocabulary, maxLength: 4, into: &ids)
            #expect(Array(run.dataset.tokens(of: index)) == ids)
            #expect(Array(run.dataset.labels(of: index)) == [Int32(run.labels.firstIndex(of: example.labels[0])!)])
        }
        let evaluation = try CorpusEncoder.evaluation(.examples(Self.examples), vocabulary: vocabulary, labels: run.labels,
                                                      maxLength: 4, multilabel: false, runner: Self.parallel)
        #expect(evaluation.dataset.count == kept.count)
        for index in 0..<kept.count { #expect(evaluation.dataset.tokens(of: index) == run.dataset.tokens(of: index)) }
    }

    /// The bags of every position of `example`, as the network reads them.
    private static func bags(of example: Int, in dataset: EncodedDataset) -> [[Int32]] {
        var bags: [[Int32]] = []
        dataset.forEachBag(of: example) { _, bag in bags.append(Array(bag)) }
        return bags
    }

    @Test(arguments: [HashedRows.Options(wordNgrams: 2, minn: 0, maxn: 0, buckets: 97),
                      HashedRows.Options(wordNgrams: 3, minn: 2, maxn: 3, buckets: 89)])
    func hashedChunksMatchBuildingEachTextAlone(options: HashedRows.Options) throws {
        // A vocabulary too small for the corpus, so that unknown tokens bring their own subwords.
        let built = try CorpusEncoder.training(.examples(Self.examples), tokenizer: Tokenizer(), vocabulary: nil, minCount: 2,
                                               maxSize: 100, maxLength: 4, multilabel: false, hashing: options,
                                               runner: Self.parallel)
        let given = try CorpusEncoder.training(.examples(Self.examples), tokenizer: Tokenizer(), vocabulary: built.vocabulary,
                                               maxLength: 4, multilabel: false, hashing: options, runner: Self.reversed)
        let rows = try #require(HashedRows(vocabulary: built.vocabulary, options: options))
        let evaluation = try CorpusEncoder.evaluation(.examples(Self.examples), vocabulary: built.vocabulary,
                                                      labels: built.labels, maxLength: 4, multilabel: false,
                                                      hashedRows: rows, runner: Self.parallel)
        let session = Tokenizer().makeSession()
        let kept = Self.examples.filter { !session.tokens($0.text).isEmpty }
        var builder = HashedRows.Builder(rows)
        let reference = EncodedDataset(hashedRows: rows)
        for run in [built.dataset, given.dataset, evaluation.dataset] {
            #expect(run.hashedRows?.vocabularySize == rows.vocabularySize && run.count == kept.count)
        }
        var expected = reference
        for example in kept {
            builder.encode(example.text, session: session, vocabulary: built.vocabulary, maxLength: 4)
            expected.append(builder.example, labels: [0])
        }
        for index in 0..<kept.count {
            let bags = Self.bags(of: index, in: expected)
            #expect(Array(built.dataset.tokens(of: index)) == Array(expected.tokens(of: index)))
            #expect(Self.bags(of: index, in: built.dataset) == bags)
            #expect(Self.bags(of: index, in: given.dataset) == bags)
            #expect(Self.bags(of: index, in: evaluation.dataset) == bags)
        }
    }
}
