import Foundation

extension EvaluationReport {
    /// The report as `textclf test` prints it: the headline scores, a table of per-label
    /// scores with their averages, the confusion matrix and the worst examples, one item per
    /// line, ending with a newline.
    public func formattedText() -> String {
        let percent = { (x: Double) in String(format: "%.2f%%", x * 100) }
        let number = { (x: Double) in String(format: "%.4f", x) }
        var lines = ["examples     \(examples)" + (skipped > 0 ? " (\(skipped) skipped: no token)" : ""),
                     (isMultilabel ? "exact match  " : "accuracy     ") + percent(accuracy),
                     "loss         " + number(loss)]
        if let microF1 { lines.append("micro F1     \(number(microF1))   macro F1 \(number(macro.f1))") }
        if let mcc { lines.append("MCC          \(number(mcc))") }
        lines.append("P@\(k)          \(number(precisionAtK))   R@\(k) \(number(recallAtK))")
        lines.append("")
        let width = max(12, (labels.map(\.count).max() ?? 0) + 2)
        let pad = { (s: String) in s + String(repeating: " ", count: max(0, width - s.count)) }
        lines.append(pad("label") + "precision  recall      f1  support")
        for s in perLabel {
            lines.append(pad(s.label) + String(format: "%9.4f %7.4f %7.4f %8d", s.precision, s.recall, s.f1, s.support))
        }
        lines.append(pad("macro") + String(format: "%9.4f %7.4f %7.4f", macro.precision, macro.recall, macro.f1))
        lines.append(pad("weighted") + String(format: "%9.4f %7.4f %7.4f", weighted.precision, weighted.recall, weighted.f1))
        lines.append("")
        lines.append("confusion (rows: true, columns: predicted)")
        let cell = max(6, (confusion.flatMap { $0 }.map { String($0).count }.max() ?? 0) + 1,
                       (labels.map(\.count).max() ?? 0) + 1)
        let right = { (s: String) in String(repeating: " ", count: max(0, cell - s.count)) + s }
        lines.append(pad("") + labels.map(right).joined())
        for (label, row) in zip(labels, confusion) {
            lines.append(pad(label) + row.map { right(String($0)) }.joined())
        }
        if !worst.isEmpty {
            lines.append("")
            lines.append("worst \(worst.count) by loss")
            let lineWidth = worst.map { String($0.line).count }.max() ?? 0
            for e in worst {
                let line = String(repeating: " ", count: lineWidth - String(e.line).count) + String(e.line)
                let predicted = e.predicted.map { "\($0.label) \(String(format: "%.4f", $0.probability))" }
                    .joined(separator: ", ")
                lines.append("  line \(line)  loss \(number(e.loss))  true \(e.labels.joined(separator: ","))  "
                             + "predicted \(predicted)  \(e.text)")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
