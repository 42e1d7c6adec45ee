/// How `textclf classify` writes one prediction per input line (SPEC §2): the labels chosen by
/// `k` and `threshold` (or every label), their probabilities with 6 decimals, and the text.
///
///     tsv       spam<TAB>0.981234<TAB>ham<TAB>0.018766<TAB>the text
///     jsonl     {"labels":["spam","ham"],"probabilities":[0.981234,0.018766],"text":"the text"}
///     fasttext  __label__spam 0.981234 __label__ham 0.018766
///
/// When no label passes, or the line holds no token, the label fields are empty.
public struct PredictionFormat: Sendable {
    /// The line layouts of SPEC §2.
    public enum Style: String, CaseIterable, Sendable {
        /// `label<TAB>probability` pairs, then the text.
        case tsv
        /// `{"labels":[…],"probabilities":[…],"text":"…"}`.
        case jsonl
        /// `__label__A 0.981234 __label__B 0.018766`.
        case fasttext
    }

    /// The line layout.
    public var style: Style
    /// At most this many labels (default: 1 single-label, all multi-label).
    public var k: Int?
    /// The lowest probability shown (default: 0 single-label, 0.5 multi-label).
    public var threshold: Float?
    /// Every label in the model's label order, ignoring `k` and `threshold`.
    public var allProbabilities = false
    /// Whether the text follows the labels (tsv, jsonl).
    public var includeText = true
    /// Whether tsv writes a backslash, tab, newline or carriage return inside the text as
    /// `\\`, `\t`, `\n`, `\r`, as the vocabulary file does, so that a text read from a
    /// record (which may span lines) stays on one line and reads back exactly.
    public var escapesText = false

    /// A format with the CLI's defaults for everything not given.
    public init(style: Style, k: Int? = nil, threshold: Float? = nil, allProbabilities: Bool = false,
                includeText: Bool = true, escapesText: Bool = false) {
        self.style = style
        self.k = k
        self.threshold = threshold
        self.allProbabilities = allProbabilities
        self.includeText = includeText
        self.escapesText = escapesText
    }

    /// The output line (without its newline) for `text` given its probabilities (nil when it
    /// held no token).
    public func line(text: String, probabilities: [Float]?, classifier: Classifier) -> String {
        let predictions: [Prediction]
        if let probabilities {
            predictions = allProbabilities
                ? zip(classifier.labels, probabilities).map { Prediction(label: $0, probability: $1) }
                : classifier.select(probabilities, k: k, threshold: threshold)
        } else {
            predictions = []
        }
        let numbers = predictions.map { formatProbability($0.probability) }
        switch style {
        case .tsv:
            var fields = predictions.isEmpty ? ["", ""] : []
            for (prediction, number) in zip(predictions, numbers) { fields += [prediction.label, number] }
            if includeText { fields.append(escapesText ? TokenEscaping.escape(text) : text) }
            return fields.joined(separator: "\t")
        case .jsonl:
            var json = "{\"labels\":[" + predictions.map { JSONText.quoted($0.label) }.joined(separator: ",")
                + "],\"probabilities\":[" + numbers.joined(separator: ",") + "]"
            if includeText { json += ",\"text\":" + JSONText.quoted(text) }
            return json + "}"
        case .fasttext:
            return zip(predictions, numbers).map { "__label__\($0.label) \($1)" }.joined(separator: " ")
        }
    }

    /// The line's text without leading `__label__X` tokens, which fastText's `predict` ignores
    /// too, so that a labeled file can be classified as it is. Labels end at fastText's
    /// separators, as when a corpus is read.
    public static func strippingLabels(_ line: String) -> String {
        String(FastTextLine.split(line).text)
    }
}

/// A probability with exactly 6 decimals, as every output format shows it.
func formatProbability(_ value: Float) -> String {
    // Integer arithmetic on the rounded value avoids Foundation's locale-dependent formatting.
    let scaled = Int((Double(value) * 1_000_000).rounded())
    let whole = scaled / 1_000_000, fraction = String(scaled % 1_000_000)
    return "\(whole)." + String(repeating: "0", count: 6 - fraction.count) + fraction
}
