import Foundation

/// Builds a ``Vocabulary`` from corpus files, as `textclf build-vocab` does.
public enum VocabularyBuilder {
    /// What a build read and kept.
    public struct Summary: Equatable, Sendable {
        /// Corpus files (or labeled directories) read.
        public var files = 0
        /// Examples read (lines, records or files).
        public var examples = 0
        /// Tokens seen, repeats included.
        public var tokens = 0
        /// Distinct tokens seen.
        public var distinctTokens = 0
        /// Ordinary tokens kept in the vocabulary.
        public var keptTokens = 0
        /// The share of the tokens seen that the kept vocabulary covers.
        public var coverage = 0.0
    }

    /// What ``build(corpora:format:tokenizer:minCount:maxSize:warning:)`` made.
    public struct Result: Sendable {
        /// The vocabulary, with the tokenizer it was built with.
        public var vocabulary: Vocabulary
        /// What the build read and kept.
        public var summary: Summary
    }

    /// Counts the tokens of every example of `corpora` (labels are ignored) and keeps those
    /// seen at least `minCount` times, at most `maxSize` of them.
    /// - Parameters:
    ///   - corpora: corpus files or labeled directories.
    ///   - format: the corpus format, or nil to detect it per file.
    ///   - tokenizer: how texts become tokens.
    ///   - minCount: the fewest occurrences a kept token needs.
    ///   - maxSize: the most ordinary tokens kept, or nil for all.
    ///   - warning: receives one message per file whose invalid UTF-8 was replaced.
    /// - Returns: the vocabulary and a summary of the build.
    /// - Throws: ``FileError`` or ``CorpusError`` naming the file (and line) that could not be
    ///   read, ``CorpusError/empty(file:)`` for a file without examples.
    public static func build(corpora: [URL], format: CorpusFormat? = nil, tokenizer: Tokenizer,
                             minCount: Int = 1, maxSize: Int? = nil,
                             warning: (String) -> Void = { _ in }) throws -> Result {
        var counter = TokenCounter()
        var summary = Summary()
        let session = tokenizer.makeSession()
        for url in corpora {
            let path = url.relativePath
            let reader = try CorpusReader(path: path, format: format)
            var examples = 0
            while let example = try reader.next() {
                examples += 1
                session.forEachToken(in: example.text) { counter.add($0) }
            }
            guard examples > 0 else { throw CorpusError.empty(file: path) }
            if reader.replacements > 0 {
                warning("\(path): \(reader.replacements) invalid UTF-8 sequence(s) replaced by U+FFFD")
            }
            summary.files += 1
            summary.examples += examples
        }
        let vocabulary = Vocabulary(counts: counter, tokenizer: tokenizer, minCount: minCount, maxSize: maxSize)
        summary.tokens = counter.totalCount
        summary.distinctTokens = counter.distinctCount
        summary.keptTokens = vocabulary.count - Vocabulary.specialCount
        summary.coverage = vocabulary.coverage(of: counter)
        return Result(vocabulary: vocabulary, summary: summary)
    }
}
