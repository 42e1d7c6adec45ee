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
        Parallel.threads = threads ?? ProcessInfo.processInfo.activeProcessorCount
        let classifier = try Classifier(contentsOf: URL(fileURLWithPath: model))
        if let warning = classifier.icuWarning(modelPath: model) { Diagnostics.warning(warning) }
        let report = try EvaluationReport.evaluate(classifier, path: file, format: corpusFormat.inputFormat,
                                                   k: k, threshold: threshold, worst: worst)
        if report.skipped > 0 { Diagnostics.warning("\(file): skipped \(report.skipped) example(s) without any token") }
        let output = BufferedOutput.standardOutput()
        try output.write(json ? try jsonText(report) + "\n" : text(report, multilabel: classifier.configuration.multilabel))
        try output.flush()
    }

    private func text(_ r: EvaluationReport, multilabel: Bool) -> String {
        let pct = { (x: Double) in String(format: "%.2f%%", x * 100) }
        let num = { (x: Double) in String(format: "%.4f", x) }
        var lines = ["examples     \(r.examples)" + (r.skipped > 0 ? " (\(r.skipped) skipped: no token)" : ""),
                     (multilabel ? "exact match  " : "accuracy     ") + pct(r.accuracy),
                     "loss         " + num(r.loss)]
        if let microF1 = r.microF1 { lines.append("micro F1     \(num(microF1))   macro F1 \(num(r.macro.f1))") }
        if let mcc = r.mcc { lines.append("MCC          \(num(mcc))") }
        lines.append("P@\(r.k)          \(num(r.precisionAtK))   R@\(r.k) \(num(r.recallAtK))")
        lines.append("")
        let width = max(12, (r.labels.map(\.count).max() ?? 0) + 2)
        let pad = { (s: String) in s + String(repeating: " ", count: max(0, width - s.count)) }
        lines.append(pad("label") + "precision  recall      f1  support")
        for s in r.perLabel {
            lines.append(pad(s.label) + String(format: "%9.4f %7.4f %7.4f %8d", s.precision, s.recall, s.f1, s.support))
        }
        lines.append(pad("macro") + String(format: "%9.4f %7.4f %7.4f", r.macro.precision, r.macro.recall, r.macro.f1))
        lines.append(pad("weighted") + String(format: "%9.4f %7.4f %7.4f", r.weighted.precision, r.weighted.recall, r.weighted.f1))
        lines.append("")
        lines.append("confusion (rows: true, columns: predicted)")
        let cell = max(6, (r.confusion.flatMap { $0 }.map { String($0).count }.max() ?? 0) + 1, (r.labels.map(\.count).max() ?? 0) + 1)
        let right = { (s: String) in String(repeating: " ", count: max(0, cell - s.count)) + s }
        lines.append(pad("") + r.labels.map(right).joined())
        for (label, row) in zip(r.labels, r.confusion) {
            lines.append(pad(label) + row.map { right(String($0)) }.joined())
        }
        if !r.worst.isEmpty {
            lines.append("")
            lines.append("worst \(r.worst.count) by loss")
            let lineWidth = r.worst.map { String($0.line).count }.max() ?? 0
            for e in r.worst {
                let line = String(repeating: " ", count: lineWidth - String(e.line).count) + String(e.line)
                let predicted = e.predicted.map { "\($0.label) \(String(format: "%.4f", $0.probability))" }.joined(separator: ", ")
                lines.append("  line \(line)  loss \(num(e.loss))  true \(e.labels.joined(separator: ","))  predicted \(predicted)  \(e.text)")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private func jsonText(_ r: EvaluationReport) throws -> String {
        let averages = { (a: EvaluationReport.Averages) -> [String: Any] in ["precision": a.precision, "recall": a.recall, "f1": a.f1] }
        var object: [String: Any] = [
            "examples": r.examples, "skipped": r.skipped, "accuracy": r.accuracy, "loss": r.loss,
            "per_label": Dictionary(uniqueKeysWithValues: r.perLabel.map {
                ($0.label, ["precision": $0.precision, "recall": $0.recall, "f1": $0.f1, "support": $0.support] as [String: Any])
            }),
            "macro": averages(r.macro), "weighted": averages(r.weighted), "k": r.k,
            "precision_at_k": r.precisionAtK, "recall_at_k": r.recallAtK,
            "confusion": ["labels": r.labels, "matrix": r.confusion] as [String: Any],
            "worst": r.worst.map {
                ["line": $0.line, "text": $0.text, "labels": $0.labels, "loss": $0.loss,
                 "predicted": $0.predicted.map { ["label": $0.label, "probability": Double($0.probability)] as [String: Any] }] as [String: Any]
            },
        ]
        if let mcc = r.mcc { object["mcc"] = mcc }
        if let microF1 = r.microF1 {
            object["micro_f1"] = microF1
            object["macro_f1"] = r.macro.f1
        }
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }
}
