/// The checks a configuration read from a file must pass before a network is built from it:
/// a model file is validated, never trusted (SPEC §3).
extension ClassifierConfiguration {
    /// The widest convolution kernel: every batch is padded to the largest kernel, so a
    /// hostile width would allocate without bound.
    public static let maximumKernelSize = 1024
    /// The longest word n-gram: fastText's practical range, and a bound on the ids per example.
    public static let maximumWordNgrams = 10
    /// The longest subword: a bound on the ids per token.
    public static let maximumSubwordLength = 32
    /// The most hashed rows: row ids must stay within `Int32` with the vocabulary's.
    public static let maximumBuckets = 100_000_000

    /// What makes this configuration unusable with `labelCount` labels, or nil when it is sound.
    public func problem(labelCount: Int) -> String? {
        if dim < 1 { return "dim \(dim) is below 1" }
        if hidden < 1 { return "hidden \(hidden) is below 1" }
        if layers < 1 { return "layers \(layers) is below 1" }
        if filters < 1 { return "filters \(filters) is below 1" }
        if maxLength < 1 { return "max_length \(maxLength) is below 1" }
        if kernelSizes.isEmpty { return "kernel_sizes is empty" }
        if let bad = kernelSizes.first(where: { $0 < 1 }) { return "kernel size \(bad) is below 1" }
        if let bad = kernelSizes.first(where: { $0 > Self.maximumKernelSize }) {
            return "kernel size \(bad) is above \(Self.maximumKernelSize)"
        }
        if !(dropout >= 0 && dropout < 1) { return "dropout \(dropout) is outside [0, 1)" }
        if pooling == .last && !arch.isRecurrent { return "last pooling needs a recurrent arch, not \(arch.rawValue)" }
        if multilabel && loss == .ce { return "ce loss cannot be multi-label" }
        if let problem = hashedRowsProblem { return problem }
        if labelCount < 2 { return "\(labelCount) label(s); a classifier needs at least 2" }
        return nil
    }

    /// What is wrong with the n-gram and subword options, or nil (SPEC §2).
    public var hashedRowsProblem: String? {
        if !(1...Self.maximumWordNgrams).contains(wordNgrams) {
            return "word_ngrams \(wordNgrams) is outside 1...\(Self.maximumWordNgrams)"
        }
        if wordNgrams > 1 && arch != .pool { return "word n-grams need the pool arch, not \(arch.rawValue)" }
        if (minn == 0) != (maxn == 0) { return "minn and maxn must be given together" }
        if minn != 0 && !(1 <= minn && minn <= maxn && maxn <= Self.maximumSubwordLength) {
            return "subword lengths minn \(minn), maxn \(maxn) need 1 ≤ minn ≤ maxn ≤ \(Self.maximumSubwordLength)"
        }
        if minn > 0 && tokenizer.level == .char { return "subwords need word or space tokens, not characters" }
        if usesHashedRows && !(1...Self.maximumBuckets).contains(buckets) {
            return "buckets \(buckets) is outside 1...\(Self.maximumBuckets)"
        }
        return nil
    }

    /// The tensors a network of this configuration holds, by PyTorch name, with their shapes;
    /// nil when a size does not fit in `Int`. Call it on a configuration without `problem`.
    public func tensorShapes(vocabularySize: Int, labelCount: Int) -> [String: [Int]]? {
        var shapes: [String: [Int]] = ["embedding.weight": [vocabularySize + hashedRowCount, dim]]
        var features = dim
        if arch.isRecurrent {
            let gates = arch == .lstm ? 4 : arch == .gru ? 3 : 1
            let directions = bidirectional ? 2 : 1
            guard let rows = checkedProduct(gates, hidden), let width = checkedProduct(hidden, directions) else { return nil }
            for layer in 0..<layers {
                let input = layer == 0 ? dim : width
                for suffix in bidirectional ? ["", "_reverse"] : [""] {
                    shapes["rnn.weight_ih_l\(layer)\(suffix)"] = [rows, input]
                    shapes["rnn.weight_hh_l\(layer)\(suffix)"] = [rows, hidden]
                    shapes["rnn.bias_ih_l\(layer)\(suffix)"] = [rows]
                    shapes["rnn.bias_hh_l\(layer)\(suffix)"] = [rows]
                }
            }
            features = width
        } else if arch == .cnn {
            for (index, size) in kernelSizes.enumerated() {
                shapes["conv.\(index).weight"] = [filters, dim, size]
                shapes["conv.\(index).bias"] = [filters]
            }
            guard let width = checkedProduct(filters, kernelSizes.count) else { return nil }
            features = width
        }
        let outputs = outputCount(labelCount: labelCount)
        shapes["fc.weight"] = [outputs, features]
        shapes["fc.bias"] = [outputs]
        for shape in shapes.values {
            var count = 1
            for size in shape {
                guard let product = checkedProduct(count, size) else { return nil }
                count = product
            }
        }
        return shapes
    }
}

private func checkedProduct(_ a: Int, _ b: Int) -> Int? {
    let (product, overflow) = a.multipliedReportingOverflow(by: b)
    return overflow ? nil : product
}
