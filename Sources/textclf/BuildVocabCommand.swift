import ArgumentParser
import Foundation
import TextClf

struct BuildVocabCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build-vocab",
        abstract: "Count the tokens of corpora and write a vocabulary file.",
        discussion: """
            Reads every corpus (labels are ignored), tokenizes the texts and keeps the tokens seen \
            at least --min-count times, most frequent first (ties by byte order), at most \
            --max-size of them. The file starts with a header recording the tokenizer options, \
            then <pad> (id 0), <unk> (id 1) and one `token<TAB>count` line per token. Without -o \
            the vocabulary goes to standard output. A summary (examples, tokens seen, distinct, \
            kept, coverage) goes to standard error unless --quiet.

            Examples:
              textclf build-vocab --lowercase --min-count 2 -o words.txt \\
                  corpora/manpages_langid/train.tsv
              textclf build-vocab --level char corpora/contains_a/train.txt > chars.txt
              textclf build-vocab --normalize nfkc --max-size 500 -o top.txt \\
                  corpora/manpages_langid/train.tsv
            """
    )

    @OptionGroup var tokenizer: TokenizerArguments
    @OptionGroup var corpusFormat: CorpusFormatArguments
    @OptionGroup var messages: MessageArguments

    @Option(help: "Keep tokens seen at least this many times.")
    var minCount = 1

    @Option(help: "Keep at most this many tokens, <pad> and <unk> not counted (default: all).")
    var maxSize: Int?

    @Option(name: .shortAndLong, help: "The vocabulary file to write (default: standard output).")
    var output: String?

    @Argument(help: "Corpus files or labeled directories.")
    var corpora: [String]

    func validate() throws {
        guard !corpora.isEmpty else { throw ValidationError("Give at least one corpus.") }
        guard minCount >= 1 else { throw ValidationError("--min-count must be at least 1.") }
        if let maxSize, maxSize < 0 { throw ValidationError("--max-size must not be negative.") }
    }

    func run() throws {
        let built = try VocabularyBuilder.build(
            corpora: corpora.map { URL(fileURLWithPath: $0) }, format: corpusFormat.inputFormat,
            tokenizer: tokenizer.tokenizer, minCount: minCount, maxSize: maxSize, warning: Diagnostics.warning)
        let (vocabulary, summary) = (built.vocabulary, built.summary)
        if let output {
            try vocabulary.save(to: URL(fileURLWithPath: output))
        } else {
            let stdout = BufferedOutput.standardOutput()
            try stdout.write(vocabulary.fileContents)
            try stdout.flush()
        }
        guard !messages.quiet else { return }
        let files = summary.files == 1 ? "1 file" : "\(summary.files) files"
        Diagnostics.write("""
            read \(summary.examples) examples from \(files): \(summary.tokens) tokens, \(summary.distinctTokens) distinct
            kept \(summary.keptTokens) tokens (\(vocabulary.tokenizer)), coverage \
            \(String(format: "%.2f", summary.coverage * 100))% of the tokens seen
            """ + (output.map { "\nwrote \($0) (\(vocabulary.count) ids with <pad> and <unk>)" } ?? ""))
    }
}
