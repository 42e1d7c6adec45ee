/// The checks a configuration read from a file must pass before a network is built from it:
/// a model file is validated, never trusted (SPEC §3).
extension ClassifierConfiguration {
    /// The widest convolution kernel: every batch is padded to the largest kernel, so a
    /// hostile width would allocate without bound.
    public static let maximumKernelSize = 1024

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
        if labelCount < 2 { return "\(labelCount) label(s); a classifier needs at least 2" }
        return nil
    }

    /// The tensors a network of this configuration holds, by PyTorch name, with their shapes;
    /// nil when a size does not fit in `Int`. Call it on a configuration without `problem`.
    public func tensorShapes(vocabularySize: Int, labelCount: Int) -> [String: [Int]]? {
        var shapes: [String: [Int]] = ["embedding.weight": [vocabularySize, dim]]
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
