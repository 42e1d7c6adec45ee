/// SPEC §2's JSON form of a report: `per_label` maps each label to its scores, `confusion`
/// holds `labels` and `matrix`, and `mcc`, `micro_f1` and `macro_f1` appear only where they
/// apply.
extension EvaluationReport {
    private enum CodingKeys: String, CodingKey {
        case examples, skipped, accuracy, loss
        case perLabel = "per_label"
        case macro, weighted, mcc
        case microF1 = "micro_f1"
        case macroF1 = "macro_f1"
        case k
        case precisionAtK = "precision_at_k"
        case recallAtK = "recall_at_k"
        case confusion, worst
    }

    private struct Scores: Codable {
        var precision, recall, f1: Double
        var support: Int
    }

    private struct Confusion: Codable {
        var labels: [String]
        var matrix: [[Int]]
    }

    /// Writes the report under SPEC §2's keys.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(examples, forKey: .examples)
        try container.encode(skipped, forKey: .skipped)
        try container.encode(accuracy, forKey: .accuracy)
        try container.encode(loss, forKey: .loss)
        let scores = Dictionary(perLabel.map {
            ($0.label, Scores(precision: $0.precision, recall: $0.recall, f1: $0.f1, support: $0.support))
        }, uniquingKeysWith: { first, _ in first })
        try container.encode(scores, forKey: .perLabel)
        try container.encode(macro, forKey: .macro)
        try container.encode(weighted, forKey: .weighted)
        try container.encodeIfPresent(mcc, forKey: .mcc)
        if let microF1 {
            try container.encode(microF1, forKey: .microF1)
            try container.encode(macro.f1, forKey: .macroF1)
        }
        try container.encode(k, forKey: .k)
        try container.encode(precisionAtK, forKey: .precisionAtK)
        try container.encode(recallAtK, forKey: .recallAtK)
        try container.encode(Confusion(labels: labels, matrix: confusion), forKey: .confusion)
        try container.encode(worst, forKey: .worst)
    }

    /// Reads a report written by ``encode(to:)``.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        examples = try container.decode(Int.self, forKey: .examples)
        skipped = try container.decode(Int.self, forKey: .skipped)
        accuracy = try container.decode(Double.self, forKey: .accuracy)
        loss = try container.decode(Double.self, forKey: .loss)
        macro = try container.decode(Averages.self, forKey: .macro)
        weighted = try container.decode(Averages.self, forKey: .weighted)
        mcc = try container.decodeIfPresent(Double.self, forKey: .mcc)
        microF1 = try container.decodeIfPresent(Double.self, forKey: .microF1)
        k = try container.decode(Int.self, forKey: .k)
        precisionAtK = try container.decode(Double.self, forKey: .precisionAtK)
        recallAtK = try container.decode(Double.self, forKey: .recallAtK)
        let confusion = try container.decode(Confusion.self, forKey: .confusion)
        labels = confusion.labels
        self.confusion = confusion.matrix
        worst = try container.decode([Example].self, forKey: .worst)
        let scores = try container.decode([String: Scores].self, forKey: .perLabel)
        perLabel = try labels.map { label in
            guard let score = scores[label] else {
                throw DecodingError.dataCorruptedError(forKey: .perLabel, in: container,
                                                       debugDescription: "no scores for label \(label)")
            }
            return LabelScores(label: label, precision: score.precision, recall: score.recall,
                               f1: score.f1, support: score.support)
        }
    }

    /// The report as one line of JSON with sorted keys: what `textclf test --json` prints.
    public func json() -> String {
        JSONText.document(self)
    }
}

/// A prediction in JSON: `{"label": …, "probability": …}`, the probability widened to Double
/// as every JSON document of textclf writes it.
extension Prediction: Codable {
    private enum CodingKeys: String, CodingKey {
        case label, probability
    }

    /// Writes `label` and `probability`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(label, forKey: .label)
        try container.encode(Double(probability), forKey: .probability)
    }

    /// Reads a prediction written by ``encode(to:)``.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        label = try container.decode(String.self, forKey: .label)
        probability = Float(try container.decode(Double.self, forKey: .probability))
    }
}
