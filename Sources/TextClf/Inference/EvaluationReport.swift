import Foundation

/// How well a classifier does on a labeled corpus: what `textclf test` prints.
///
/// Single-label: the prediction is the most probable label (when its probability reaches the
/// threshold); accuracy is the share of examples predicted right. Multi-label: the prediction is
/// every label with probability ≥ the threshold (0.5 by default) and accuracy is exact match.
/// Precision, recall and F1 are 0 where their ratio is undefined (as scikit-learn's default).
///
/// The report is `Codable` with SPEC §2's snake_case keys (`per_label`, `precision_at_k`, …);
/// ``json()`` and ``formattedText()`` give what `textclf test --json` and `textclf test` print.
public struct EvaluationReport: Codable, Equatable, Sendable {
    /// Precision, recall, F1 and support of one label.
    public struct LabelScores: Sendable, Equatable {
        /// The label.
        public var label: String
        /// Correct predictions of the label over all its predictions.
        public var precision: Double
        /// Correct predictions of the label over the examples that carry it.
        public var recall: Double
        /// The harmonic mean of precision and recall.
        public var f1: Double
        /// Test examples that carry the label.
        public var support: Int
    }

    /// Precision, recall and F1 averaged over the labels.
    public struct Averages: Codable, Sendable, Equatable {
        /// The averaged precision.
        public var precision: Double
        /// The averaged recall.
        public var recall: Double
        /// The averaged F1 (of the per-label F1 scores, not of the averages).
        public var f1: Double
    }

    /// One of the examples the model got most wrong.
    public struct Example: Codable, Sendable, Equatable {
        /// The line of the corpus where the example starts (1-based).
        public var line: Int
        /// The example's text.
        public var text: String
        /// Its true labels.
        public var labels: [String]
        /// What the model predicted, best first.
        public var predicted: [Prediction]
        /// Its loss under the model's objective.
        public var loss: Double
    }

    /// Examples scored.
    public var examples: Int
    /// Examples left out because they hold no token.
    public var skipped: Int
    /// The share of examples predicted right (multi-label: exact match).
    public var accuracy: Double
    /// The mean per-example loss under the model's objective.
    public var loss: Double
    /// Scores per label, in the model's label order.
    public var perLabel: [LabelScores]
    /// The unweighted mean over labels.
    public var macro: Averages
    /// Averaged with each label's support as weight.
    public var weighted: Averages
    /// Matthews correlation coefficient, for single-label models with two labels.
    public var mcc: Double?
    /// Multi-label only: F1 over all (example, label) decisions.
    public var microF1: Double?
    /// The k of P@k and R@k.
    public var k: Int
    /// Correct labels among the k best (with probability ≥ threshold), over labels predicted.
    public var precisionAtK: Double
    /// Correct labels among the k best, over gold labels.
    public var recallAtK: Double
    /// The model's labels, in output order: the rows and columns of ``confusion``.
    public var labels: [String]
    /// matrix[gold][predicted]: examples (single-label) or label co-occurrences (multi-label).
    public var confusion: [[Int]]
    /// The examples of highest loss, worst first.
    public var worst: [Example]

    /// Whether the report is of a multi-label model (it then has a micro F1).
    public var isMultilabel: Bool { microF1 != nil }
}

extension EvaluationReport {
    /// Evaluates `classifier` on a labeled corpus file, on the classifier's threads.
    /// - Parameters:
    ///   - classifier: the model to evaluate.
    ///   - url: the labeled corpus.
    ///   - format: its format, or nil to detect it.
    ///   - k: for P@k and R@k.
    ///   - threshold: the lowest probability a predicted label needs (default 0, multi-label 0.5).
    ///   - worst: how many of the highest-loss examples to keep.
    /// - Returns: the report.
    /// - Throws: ``FileError``, ``CorpusError`` (including a label the model does not know).
    public static func evaluate(_ classifier: Classifier, corpus url: URL, format: CorpusFormat? = nil,
                                k: Int = 1, threshold: Float? = nil, worst: Int = 10) throws -> EvaluationReport {
        let reader = try CorpusReader(contentsOf: url, format: format)
        let path = reader.path
        guard reader.format.isLabeled else {
            throw try reader.next() == nil ? CorpusError.empty(file: path) : CorpusError.unlabeled(file: path)
        }
        var index: [String: Int] = [:]
        for (i, label) in classifier.labels.enumerated() { index[label] = i }
        var texts: [String] = [], gold: [[Int]] = [], lines: [Int] = []
        var read = 0
        while let example = try reader.next() {
            read += 1
            guard !example.labels.isEmpty else {
                throw CorpusError.malformedRecord(file: reader.currentFile, line: example.line, reason: "the example has no label")
            }
            gold.append(try Set(example.labels).map { label in
                guard let id = index[label] else {
                    throw CorpusError.unknownLabel(file: reader.currentFile, line: example.line, label: label)
                }
                return id
            }.sorted())
            texts.append(example.text)
            lines.append(example.line)
        }
        guard read > 0 else { throw CorpusError.empty(file: path) }
        let rows = classifier.probabilities(texts).rows
        var scorer = Scorer(classifier: classifier, k: k, threshold: threshold)
        var scored: [(Int, Double)] = []
        for (i, probabilities) in rows.enumerated() {
            guard let probabilities else { continue }
            scored.append((i, scorer.add(probabilities: probabilities, gold: gold[i])))
        }
        var report = scorer.report(skipped: read - scored.count)
        report.worst = scored.sorted { $0.1 > $1.1 || ($0.1 == $1.1 && $0.0 < $1.0) }.prefix(worst).map { i, loss in
            Example(line: lines[i], text: texts[i], labels: gold[i].map { classifier.labels[$0] },
                    predicted: classifier.select(rows[i]!, k: k, threshold: threshold), loss: loss)
        }
        return report
    }
}

/// Accumulates the counts every score derives from, one example at a time.
private struct Scorer {
    let classifier: Classifier
    let k: Int
    let threshold: Float?
    let labelCount: Int
    let multilabel: Bool
    var examples = 0, exact = 0
    var lossSum = 0.0
    var truePositives: [Int], predictedCounts: [Int], goldCounts: [Int]
    var confusion: [[Int]]
    var correctAtK = 0, predictedAtK = 0, goldTotal = 0

    init(classifier: Classifier, k: Int, threshold: Float?) {
        self.classifier = classifier
        self.k = k
        self.threshold = threshold
        labelCount = classifier.labels.count
        multilabel = classifier.configuration.multilabel
        truePositives = Array(repeating: 0, count: labelCount)
        predictedCounts = truePositives
        goldCounts = truePositives
        confusion = Array(repeating: Array(repeating: 0, count: labelCount), count: labelCount)
    }

    /// Adds one example; returns its loss.
    mutating func add(probabilities p: [Float], gold: [Int]) -> Double {
        examples += 1
        let predicted = classifier.select(p, k: multilabel ? nil : 1, threshold: threshold)
            .map { classifier.labels.firstIndex(of: $0.label)! }.sorted()
        if predicted == gold { exact += 1 }
        for label in predicted {
            predictedCounts[label] += 1
            if gold.contains(label) { truePositives[label] += 1 }
        }
        for label in gold {
            goldCounts[label] += 1
            for guess in predicted { confusion[label][guess] += 1 }
        }
        let top = classifier.select(p, k: k, threshold: threshold).map { classifier.labels.firstIndex(of: $0.label)! }
        correctAtK += top.filter(gold.contains).count
        predictedAtK += top.count
        goldTotal += gold.count
        let loss = exampleLoss(p, gold: gold)
        lossSum += loss
        return loss
    }

    /// −log p(gold) for softmax models; the mean binary cross entropy or squared error over the
    /// labels for sigmoid ones. Probabilities are kept off 0 and 1 so a sure mistake is finite.
    private func exampleLoss(_ p: [Float], gold: [Int]) -> Double {
        let clamp = { (x: Float) in min(max(Double(x), 1e-12), 1 - 1e-12) }
        switch classifier.configuration.loss {
        case .ce:
            return -Foundation.log(clamp(p[gold[0]]))
        case .bce where classifier.configuration.outputCount(labelCount: labelCount) == 1:
            return -Foundation.log(clamp(p[gold[0]]))
        case .bce:
            return (0..<labelCount).reduce(0.0) { sum, label in
                sum - (gold.contains(label) ? Foundation.log(clamp(p[label])) : Foundation.log(1 - clamp(p[label])))
            } / Double(labelCount)
        case .mse:
            return (0..<labelCount).reduce(0.0) { sum, label in
                let difference = Double(p[label]) - (gold.contains(label) ? 1 : 0)
                return sum + difference * difference
            } / Double(labelCount)
        }
    }

    func report(skipped: Int) -> EvaluationReport {
        let ratio = { (a: Int, b: Int) in b == 0 ? 0 : Double(a) / Double(b) }
        let f1 = { (p: Double, r: Double) in p + r == 0 ? 0 : 2 * p * r / (p + r) }
        let scores = (0..<labelCount).map { label -> EvaluationReport.LabelScores in
            let precision = ratio(truePositives[label], predictedCounts[label])
            let recall = ratio(truePositives[label], goldCounts[label])
            return .init(label: classifier.labels[label], precision: precision, recall: recall,
                         f1: f1(precision, recall), support: goldCounts[label])
        }
        let count = Double(max(labelCount, 1)), support = Double(max(goldCounts.reduce(0, +), 1))
        let macro = EvaluationReport.Averages(precision: scores.map(\.precision).reduce(0, +) / count,
                                              recall: scores.map(\.recall).reduce(0, +) / count,
                                              f1: scores.map(\.f1).reduce(0, +) / count)
        let weighted = EvaluationReport.Averages(
            precision: scores.map { $0.precision * Double($0.support) }.reduce(0, +) / support,
            recall: scores.map { $0.recall * Double($0.support) }.reduce(0, +) / support,
            f1: scores.map { $0.f1 * Double($0.support) }.reduce(0, +) / support)
        var mcc: Double?
        if !multilabel && labelCount == 2 {
            // Label 1 (the second in output order) is the positive class.
            let tp = Double(confusion[1][1]), tn = Double(confusion[0][0])
            let fp = Double(confusion[0][1]), fn = Double(confusion[1][0])
            let denominator = ((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn)).squareRoot()
            mcc = denominator == 0 ? 0 : (tp * tn - fp * fn) / denominator
        }
        var microF1: Double?
        if multilabel {
            let tp = truePositives.reduce(0, +)
            microF1 = f1(ratio(tp, predictedCounts.reduce(0, +)), ratio(tp, goldCounts.reduce(0, +)))
        }
        return EvaluationReport(
            examples: examples, skipped: skipped, accuracy: ratio(exact, examples), loss: examples == 0 ? 0 : lossSum / Double(examples),
            perLabel: scores, macro: macro, weighted: weighted, mcc: mcc, microF1: microF1, k: k,
            precisionAtK: ratio(correctAtK, predictedAtK), recallAtK: ratio(correctAtK, goldTotal),
            labels: classifier.labels, confusion: confusion, worst: [])
    }
}
