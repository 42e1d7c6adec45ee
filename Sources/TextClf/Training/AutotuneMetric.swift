import Foundation

/// What `textclf autotune` maximises on the validation data. Every score is defined as
/// `textclf test` reports it for a single-label model: the prediction is the most probable label
/// (ties to the earlier label), and a ratio that is undefined counts as 0.
///
///     try AutotuneMetric(parsing: "f1:spam")   // .f1(label: "spam")
///     AutotuneMetric.precisionAtK(2).name      // "p@k:2"
public enum AutotuneMetric: Equatable, Hashable, Sendable {
    /// The share of examples whose most probable label is their label.
    case accuracy
    /// The mean over the labels of each label's F1.
    case macroF1
    /// One label's F1.
    case f1(label: String)
    /// Correct labels among the k most probable, over the k · examples labels predicted.
    case precisionAtK(Int)

    /// Reads `accuracy`, `macro-f1`, `f1:LABEL` or `p@k:K` (K at least 1).
    /// - Throws: ``TrainingError/invalidOption(_:)`` naming the forms it accepts.
    public init(parsing text: String) throws {
        if text == "accuracy" {
            self = .accuracy
        } else if text == "macro-f1" {
            self = .macroF1
        } else if text.hasPrefix("f1:") && text.count > 3 {
            self = .f1(label: String(text.dropFirst(3)))
        } else if text.hasPrefix("p@k:"), let k = Int(text.dropFirst(4)), k >= 1 {
            self = .precisionAtK(k)
        } else {
            throw TrainingError.invalidOption("the metric must be accuracy, macro-f1, f1:LABEL or p@k:K (K ≥ 1), not '\(text)'")
        }
    }

    /// The metric as the command line names it.
    public var name: String {
        switch self {
        case .accuracy: return "accuracy"
        case .macroF1: return "macro-f1"
        case .f1(let label): return "f1:\(label)"
        case .precisionAtK(let k): return "p@k:\(k)"
        }
    }

    /// The counts every score derives from, gathered one example at a time.
    struct Counts {
        let labelCount: Int
        let k: Int
        var examples = 0, correct = 0, correctAtK = 0, predictedAtK = 0
        var truePositives: [Int], predicted: [Int], gold: [Int]

        init(labelCount: Int, k: Int) {
            self.labelCount = labelCount
            self.k = k
            truePositives = Array(repeating: 0, count: labelCount)
            predicted = truePositives
            gold = truePositives
        }

        /// Adds one example: every label's probability and its one gold label.
        mutating func add(probabilities: ArraySlice<Float>, label: Int) {
            let base = probabilities.startIndex
            let order = (0..<labelCount).sorted {
                probabilities[base + $0] > probabilities[base + $1]
                    || (probabilities[base + $0] == probabilities[base + $1] && $0 < $1)
            }
            examples += 1
            predicted[order[0]] += 1
            gold[label] += 1
            if order[0] == label {
                correct += 1
                truePositives[label] += 1
            }
            let top = order.prefix(k)
            predictedAtK += top.count
            if top.contains(label) { correctAtK += 1 }
        }

        func f1(of label: Int) -> Double {
            let ratio = { (a: Int, b: Int) in b == 0 ? 0 : Double(a) / Double(b) }
            let precision = ratio(truePositives[label], predicted[label]), recall = ratio(truePositives[label], gold[label])
            return precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall)
        }
    }

    /// The score of `counts`; `labels` gives the index of ``f1(label:)``'s label.
    func score(_ counts: Counts, labels: [String]) -> Double {
        switch self {
        case .accuracy:
            return counts.examples == 0 ? 0 : Double(counts.correct) / Double(counts.examples)
        case .macroF1:
            return (0..<counts.labelCount).map(counts.f1(of:)).reduce(0, +) / Double(max(counts.labelCount, 1))
        case .f1(let label):
            return labels.firstIndex(of: label).map(counts.f1(of:)) ?? 0
        case .precisionAtK:
            return counts.predictedAtK == 0 ? 0 : Double(counts.correctAtK) / Double(counts.predictedAtK)
        }
    }

    /// The k of the counts this metric needs (1 unless it is P@k).
    var k: Int {
        if case .precisionAtK(let k) = self { return k }
        return 1
    }

    /// The metric of `network` on `dataset` (single-label, labels as indices into `labels`),
    /// dropout off, batches run on up to `threads` threads.
    func evaluate(_ network: Network, on dataset: EncodedDataset, labels: [String], threads: Int) throws -> Double {
        let trainer = Trainer(network: network, objective: Objective(configuration: network.configuration, labelCount: labels.count),
                              options: try TrainingOptions(threads: threads))
        var counts = Counts(labelCount: labels.count, k: k)
        Parallel.withThreads(threads) {
            for range in BatchPlan.sequential(count: dataset.count, batchSize: 256) {
                let batch = PaddedBatch(dataset, indices: range, minimumLength: network.encoder.minimumLength)
                let probabilities = network.configuration.loss.probabilities(logits: trainer.predictLogits(batch))
                let width = probabilities.cols
                for (row, example) in range.enumerated() {
                    counts.add(probabilities: probabilities.storage[(row * width)..<((row + 1) * width)],
                               label: Int(dataset.labels(of: example).first!))
                }
            }
        }
        return score(counts, labels: labels)
    }
}
