import ArgumentParser
import Foundation
import TextClf

extension PredictionFormat.Style: ExpressibleByArgument {}

/// The corpus formats classify reads records in: those of a file or a stream (not `dir`).
enum RecordFormat: String, CaseIterable, ExpressibleByArgument {
    case fasttext, tsv, csv, jsonl, text

    var corpusFormat: CorpusFormat {
        switch self {
        case .fasttext: .fasttext
        case .tsv: .tsv
        case .csv: .csv
        case .jsonl: .jsonl
        case .text: .text
        }
    }
}

struct ClassifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classify",
        abstract: "Classify text lines with a model, one output line per input line.",
        discussion: """
            Reads the files in order, or standard input without FILE. Every input line gives one \
            output line in the same order, empty lines included (their label fields are empty). \
            Leading __label__X tokens are ignored, so a labeled fastText file can be classified as \
            it is. With --input-format the input is read as a corpus instead: one output line per \
            record, its text without the labels; tsv output then writes a backslash, tab, newline \
            or carriage return inside a text as \\\\, \\t, \\n, \\r. Probabilities have 6 \
            decimals. Single-label models show the --k best labels (default 1) with probability \
            ≥ --threshold (default 0); multi-label models every label with probability ≥ \
            --threshold (default 0.5), at most --k. The output does not depend on --threads or \
            --batch-size. Answers are written as soon as the input pauses, so `tail -f FILE | \
            textclf classify -m MODEL` answers each line as it comes. The examples use the \
            models trained by the examples of `textclf --help` and `textclf train --help`.

            Examples:
              printf 'banana\\nxyz\\n' | textclf classify -m contains.safetensors --k 2
              textclf classify -m contains.safetensors --format fasttext \\
                  corpora/contains_a/test.txt | head -3
              textclf classify -m langid.safetensors --input-format tsv --format jsonl \\
                  --no-text corpora/manpages_langid/test.tsv
            """
    )

    @Option(name: .shortAndLong, help: "The model file.")
    var model: String

    @Option(help: "At most this many labels per line (default: 1, or all for multi-label models).")
    var k: Int?

    @Option(help: "Show labels with at least this probability (default: 0, or 0.5 for multi-label models).")
    var threshold: Float?

    @Option(help: "Output format.")
    var format: PredictionFormat.Style = .tsv

    @Flag(help: "Show every label's probability, in the model's label order.")
    var allProbabilities = false

    @Flag(help: "Leave the text out of tsv and jsonl lines.")
    var noText = false

    @Option(help: "At most this many texts classified together (fewer when the input pauses); memory grows with it, never with the input.")
    var batchSize = 512

    @Option(help: "Threads (default: the number of cores). The output does not depend on it.")
    var threads: Int?

    @Option(help: "Read the input as a corpus in this format and classify each record's text, labels dropped (default: every line is a text).")
    var inputFormat: RecordFormat?

    @OptionGroup var messages: MessageArguments

    @Argument(help: "Files to classify (default: standard input).")
    var files: [String] = []

    func validate() throws {
        if let k { guard k >= 1 else { throw ValidationError("--k must be at least 1.") } }
        if let threshold { guard (0...1).contains(threshold) else { throw ValidationError("--threshold must be between 0 and 1.") } }
        guard batchSize >= 1 else { throw ValidationError("--batch-size must be at least 1.") }
        if let threads { guard threads >= 1 else { throw ValidationError("--threads must be at least 1.") } }
        if allProbabilities && (k != nil || threshold != nil) {
            throw ValidationError("--all-probabilities shows every label; drop --k and --threshold.")
        }
    }

    func run() throws {
        let classifier = try Classifier(contentsOf: URL(fileURLWithPath: model),
                                        threads: threads ?? ProcessInfo.processInfo.activeProcessorCount)
        if let warning = classifier.icuWarning { Diagnostics.warning(warning) }
        let format = PredictionFormat(style: self.format, k: k, threshold: threshold,
                                      allProbabilities: allProbabilities, includeText: !noText,
                                      escapesText: inputFormat != nil)
        let predictor = LinePredictor(classifier: classifier, format: format, batchSize: batchSize)
        let output = BufferedOutput.standardOutput()
        var truncated = 0
        for (name, reader) in try inputs() {
            let input = try ClassifyInput(lines: reader, format: inputFormat?.corpusFormat)
            let summary = try predictor.run(input: input, output: output)
            truncated += summary.truncated
            if summary.replacements > 0 {
                Diagnostics.warning("\(name): \(summary.replacements) invalid UTF-8 sequence(s) replaced by U+FFFD")
            }
        }
        if truncated > 0 {
            Diagnostics.warning("\(truncated) line(s) had more than \(classifier.configuration.maxLength) tokens; the rest were ignored")
        }
    }

    /// The readers in order; every file is opened first, so a missing one fails before output.
    private func inputs() throws -> [(String, LineReader)] {
        if files.isEmpty { return [("<stdin>", LineReader(fileDescriptor: STDIN_FILENO, name: "<stdin>"))] }
        return try files.map { ($0, try LineReader(path: $0)) }
    }
}
