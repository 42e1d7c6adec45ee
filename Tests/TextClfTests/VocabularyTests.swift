import Foundation
import Testing
@_spi(Internals) @testable import TextClf

@Suite("Vocabulary")
struct VocabularyTests {
    private func counter(_ tokens: [String: Int]) -> TokenCounter {
        var counter = TokenCounter()
        for (token, count) in tokens { counter.add(token, occurrences: count) }
        return counter
    }

    @Test func specialsComeFirstThenCountDescendingThenBytesAscending() {
        let vocabulary = Vocabulary(counts: counter(["b": 3, "a": 3, "c": 5, "é": 3, "Z": 3]), tokenizer: Tokenizer())
        #expect((0 ..< vocabulary.count).map { vocabulary.token(for: Int32($0)) }
            == ["<pad>", "<unk>", "c", "Z", "a", "b", "é"])
        #expect(vocabulary.counts == [0, 0, 5, 3, 3, 3, 3])
    }

    @Test func vocabDropsTokensBelowMinCountAndCapsOrdinaryTokens() {
        let counts = counter(["x": 1, "y": 2, "z": 3, "w": 4])
        let vocabulary = Vocabulary(counts: counts, tokenizer: Tokenizer(), minCount: 2, maxSize: 2)
        #expect(vocabulary.count == 4)
        #expect(vocabulary.id(for: "w") == 2 && vocabulary.id(for: "z") == 3)
        #expect(vocabulary.id(for: "y") == Vocabulary.unknownID)
        #expect(abs(vocabulary.coverage(of: counts) - 0.7) < 1e-12)
        #expect(Vocabulary(counts: counts, tokenizer: Tokenizer(), maxSize: 0).count == 2)
    }

    @Test func lookupByBytesMatchesLookupByString() {
        let vocabulary = try! Vocabulary(tokens: [("héllo", 1), ("世界", 1)], tokenizer: Tokenizer())
        for token in ["héllo", "世界", "missing", "<pad>"] {
            var copy = token
            let byBytes = copy.withUTF8 { vocabulary.id(forUTF8: $0) }
            #expect(byBytes == vocabulary.id(for: token))
        }
        #expect(vocabulary.id(for: "<pad>") == Vocabulary.unknownID)
    }

    @Test func manyTokensSurviveTableGrowth() {
        var counts = TokenCounter()
        for i in 0 ..< 5000 { counts.add("t\(i)", occurrences: 5000 - i) }
        let vocabulary = Vocabulary(counts: counts, tokenizer: Tokenizer())
        #expect(vocabulary.count == 5002)
        #expect((0 ..< 5000).allSatisfy { vocabulary.id(for: "t\($0)") == Int32($0 + 2) })
    }

    @Test func fileRoundTripKeepsTabsNewlinesBackslashesAndATokenSpelledPad() throws {
        let tokenizer = Tokenizer(level: .char, lowercase: true, normalization: .nfc, keepPunctuation: true)
        let tokens: [(token: String, count: Int)] = [("a\tb", 7), ("line\nbreak", 6), ("back\\slash", 5),
                                                     ("\r", 4), ("\\t", 3), ("<pad>", 2), ("é", 1)]
        let vocabulary = try Vocabulary(tokens: tokens, tokenizer: tokenizer)
        let directory = ScratchDirectory()
        let path = directory.path("vocab.txt")
        try vocabulary.save(to: URL(fileURLWithPath: path))
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.hasPrefix("#textclf-vocab 1 level=char lowercase=true normalize=nfc keep_punctuation=true\n<pad>\t0\n<unk>\t0\na\\tb\t7\n"))
        let loaded = try Vocabulary(contentsOf: URL(fileURLWithPath: path))
        #expect(loaded == vocabulary)
        #expect(loaded.tokenizer == tokenizer)
        #expect(loaded.id(for: "<pad>") == 7 && loaded.id(for: "line\nbreak") == 3)
        #expect(try Vocabulary(parsing: vocabulary.fileContents, name: "embedded") == vocabulary)
        #expect(directory.listing() == ["vocab.txt"])
    }

    @Test func badVocabularyLinesAreReportedWithFileAndLine() throws {
        let header = "#textclf-vocab 1 level=word lowercase=false normalize=none keep_punctuation=false\n"
        let cases: [(String, Int, String)] = [
            ("", 1, "empty"),
            ("hello\n", 1, "not a textclf vocabulary"),
            ("#textclf-vocab 1 level=word\n", 1, "lowercase="),
            ("#textclf-vocab 1 level=words lowercase=false normalize=none keep_punctuation=false\n", 1, "level=words"),
            (header, 1, "truncated"),
            (header + "<pad>\t0\n", 2, "truncated"),
            (header + "<unk>\t0\n", 2, "expected <pad>"),
            (header + "<pad>\t0\n<unk>\t0\nword\n", 4, "token<TAB>count"),
            (header + "<pad>\t0\n<unk>\t0\nword\t-3\n", 4, "count"),
            (header + "<pad>\t0\n<unk>\t0\nwo\\xrd\t3\n", 4, "escape"),
            (header + "<pad>\t0\n<unk>\t0\nword\t3\nword\t2\n", 5, "earlier line"),
            (header + "<pad>\t0\n<unk>\t0\n\t3\n", 4, "empty token"),
        ]
        let directory = ScratchDirectory()
        for (index, (contents, line, fragment)) in cases.enumerated() {
            let path = directory.write("v\(index).txt", contents)
            do {
                _ = try Vocabulary(contentsOf: URL(fileURLWithPath: path))
                Issue.record("case \(index) loaded")
            } catch let error as VocabularyError {
                let message = error.localizedDescription
                #expect(message.hasPrefix("\(path):\(line): "), "case \(index): \(message)")
                #expect(message.contains(fragment), "case \(index): \(message)")
            }
        }
    }

    @Test func newerFormatVersionIsRefusedNamingBothVersions() {
        let directory = ScratchDirectory()
        let path = directory.write("v.txt", "#textclf-vocab 2 level=word\n<pad>\t0\n<unk>\t0\n")
        #expect(throws: VocabularyError.unsupportedVersion(file: path, found: "2", supported: 1)) {
            try Vocabulary(contentsOf: URL(fileURLWithPath: path))
        }
    }

    @Test func builderCountsCorpusTokensAndReportsCoverage() throws {
        let directory = ScratchDirectory()
        let path = directory.write("c.txt", "__label__a the cat\n__label__b the dog, the end\n")
        let built = try VocabularyBuilder.build(
            corpora: [URL(fileURLWithPath: path)], format: nil, tokenizer: Tokenizer(), minCount: 2)
        let (vocabulary, summary) = (built.vocabulary, built.summary)
        #expect(summary == .init(files: 1, examples: 2, tokens: 6, distinctTokens: 4, keptTokens: 1, coverage: 0.5))
        #expect(vocabulary.token(for: 2) == "the")
        let empty = directory.write("empty.txt", "")
        #expect(throws: CorpusError.empty(file: empty)) {
            try VocabularyBuilder.build(corpora: [URL(fileURLWithPath: empty)], format: nil, tokenizer: Tokenizer())
        }
    }
}
