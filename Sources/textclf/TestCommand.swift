import ArgumentParser
import Foundation
import TextClf

struct TestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Evaluate a model on a labeled corpus.",
        discussion: """
            Prints accuracy (multi-label: exact match, with micro and macro F1), precision, recall \
            and F1 per label with macro and weighted averages, MCC for two labels, P@k and R@k, the \
            confusion matrix (rows: true labels) and the examples with the highest loss. Examples \
            without any token are skipped and counted. --json prints one object instead. The \
            examples test the models trained by the examples of `textclf --help` and `textclf \
            train --help`.

            Examples:
              textclf test -m contains.safetensors corpora/contains_a/test.txt
              textclf test -m langid.safetensors corpora/manpages_langid/test.tsv --k 2 \\
                  --worst 3 --json
            """
    )

    @Option(name: .shortAndLong, help: "The model file.")
    var model: String

    @Argument(help: "The labeled test corpus.")
    var file: String

    @OptionGroup var corpusFormat: CorpusFormatArguments

    @Option(help: "k of P@k and R@k.")
    var k = 1

    @Option(help: "The lowest probability of a predicted label (default: 0, or 0.5 for multi-label models).")
    var threshold: Float?

    @Option(help: "How many of the worst-predicted examples to show.")
    var worst = 10

    @Option(help: "Threads (default: the number of cores). The results do not depend on it.")
    var threads: Int?

    @Flag(help: "Print one JSON object instead of text.")
    var json = false

    @OptionGroup var messages: MessageArguments

    func validate() throws {
        guard k >= 1 else { throw ValidationError("--k must be at least 1.") }
        guard worst >= 0 else { throw ValidationError("--worst must not be negative.") }
        if let threshold { guard (0...1).contains(threshold) else { throw ValidationError("--threshold must be between 0 and 1.") } }
        if let threads { guard threads >= 1 else { throw ValidationError("--threads must be at least 1.") } }
    }

    func run() throws {
        let classifier = try Classifier(contentsOf: URL(fileURLWithPath: model),
                                        threads: threads ?? ProcessInfo.processInfo.activeProcessorCount)
        if let warning = classifier.icuWarning { Diagnostics.warning(warning) }
        let report = try EvaluationReport.evaluate(classifier, corpus: URL(fileURLWithPath: file),
                                                   format: corpusFormat.inputFormat, k: k, threshold: threshold, worst: worst)
        if report.skipped > 0 { Diagnostics.warning("\(file): skipped \(report.skipped) example(s) without any token") }
        let output = BufferedOutput.standardOutput()
        try output.write(json ? report.json() + "\n" : report.formattedText())
        try output.flush()
    }
}
