import Foundation

/// Int8 quantization of a model file, as `textclf quantize` does it (SPEC §2, §3).
///
/// Every weight matrix — `embedding.weight`, `rnn.weight_ih_l*`, `rnn.weight_hh_l*`,
/// `conv.*.weight` (rows = filters) and `fc.weight` — becomes an I8 tensor `NAME` of the same
/// shape plus an F32 tensor `NAME.scale` with one scale per row; biases stay F32:
///
///     scale[r] = maxabs(W[r, :]) / 127        (1 for a row of zeros)
///     q[r, c]  = round-half-even(W[r, c] / scale[r]), clamped to [-127, 127]
///     W[r, c] ≈ q[r, c] · scale[r],  with |W − q·scale| ≤ scale/2
///
/// A row of zeros (the padding row) gets scale 1 and q = 0: it dequantizes to zeros exactly and
/// needs no special case in a reader; −128 never occurs, as the int8 kernels require.
///
/// With a cutoff, the embedding keeps only its rows of largest L2 norm, as fastText's
/// `quantize -cutoff` does (see ``EmbeddingRowIndex``).
public enum Quantization {
    /// The most a stored weight's magnitude reaches, in steps of its row's scale.
    public static let levels: Float = 127

    /// The quantized form of `file`: every weight matrix in int8 with per-row scales, format
    /// version 2; with `cutoff`, the embedding first cut to the `cutoff` rows that matter most.
    ///
    /// The cut keeps `<pad>`, `<unk>` and the other rows of largest L2 norm (ties: the lower
    /// id). Vocabulary tokens whose rows go are dropped from the vocabulary, so they read as
    /// `<unk>`; kept hashed rows (n-grams, subwords) stay addressable through `embedding.rows`.
    /// - Parameters:
    ///   - file: a float model file (it may already be cut, e.g. after a retraining).
    ///   - name: names the model in errors (usually its path).
    ///   - cutoff: how many embedding rows to keep, 2 up to the rows there are; nil keeps all.
    /// - Returns: the quantized model file.
    /// - Throws: ``ModelFileError`` when the file is unusable; ``QuantizationError`` when it is
    ///   already quantized or the cutoff is out of range.
    public static func quantize(_ file: ModelFile, name: String, cutoff: Int? = nil) throws -> ModelFile {
        let configuration = try file.validatedConfiguration(name: name)
        guard !file.isQuantized else { throw QuantizationError.alreadyQuantized(name) }
        let source = try EmbeddingCut.cut(file, to: cutoff, configuration: configuration, name: name)
        var tensors: [String: Tensor] = [:]
        var integerTensors = source.integerTensors
        for (tensorName, tensor) in source.tensors {
            guard isWeightMatrix(tensorName, shape: tensor.shape) else {
                tensors[tensorName] = tensor
                continue
            }
            let (values, scales) = quantizeRows(tensor.values, rows: tensor.shape[0])
            integerTensors[tensorName] = IntegerTensor(dtype: .i8, shape: tensor.shape, values: values)
            tensors[tensorName + scaleSuffix] = Tensor(shape: [tensor.shape[0]], values: scales)
        }
        return ModelFile(tensors: tensors, integerTensors: integerTensors, config: source.config,
                         vocabulary: source.vocabulary, labels: source.labels, formatVersion: 2)
    }

    /// The suffix of a quantized matrix's scale tensor: `fc.weight` → `fc.weight.scale`.
    public static let scaleSuffix = ".scale"

    /// Whether the tensor `name` of `shape` is a weight matrix, which quantization turns into
    /// int8: rank 2 or more and a last name component starting with `weight`
    /// (`embedding.weight`, `rnn.weight_hh_l0_reverse`, `conv.1.weight`, `fc.weight`).
    public static func isWeightMatrix(_ name: String, shape: [Int]) -> Bool {
        shape.count >= 2 && (name.split(separator: ".").last?.hasPrefix("weight") ?? false)
    }

    /// Quantizes `values`, `rows` rows of equal length, row by row (see ``Quantization``).
    /// - Returns: q in [-127, 127], row-major, and one scale per row.
    public static func quantizeRows(_ values: [Float], rows: Int) -> (values: [Int32], scales: [Float]) {
        precondition(rows > 0 && values.count % rows == 0, "\(values.count) values do not split into \(rows) rows")
        let cols = values.count / rows
        var quantized = [Int32](repeating: 0, count: values.count)
        var scales = [Float](repeating: 1, count: rows)
        for r in 0..<rows {
            let row = values[r * cols ..< (r + 1) * cols]
            let maxabs = row.reduce(0) { max($0, abs($1)) }
            // A row of zeros, or one so small that maxabs/127 underflows, keeps scale 1: q = 0.
            let scale = maxabs / levels > 0 ? maxabs / levels : 1
            scales[r] = scale
            for c in 0..<cols {
                let q = (values[r * cols + c] / scale).rounded(.toNearestOrEven)
                quantized[r * cols + c] = Int32(min(max(q, -levels), levels))
            }
        }
        return (quantized, scales)
    }

    /// q · scale[r], row by row: the float weights a quantized matrix stands for.
    public static func dequantizeRows(_ values: [Int32], scales: [Float]) -> [Float] {
        precondition(!scales.isEmpty && values.count % scales.count == 0, "\(values.count) values for \(scales.count) scales")
        let cols = values.count / scales.count
        return values.indices.map { Float(values[$0]) * scales[$0 / cols] }
    }
}

/// Why a model cannot be quantized as asked.
public enum QuantizationError: Error, Equatable, LocalizedError {
    /// The model already holds int8 weights.
    case alreadyQuantized(String)
    /// The cutoff is below 2 (`<pad>` and `<unk>` always stay) or above the embedding's rows.
    case cutoffOutOfRange(String, cutoff: Int, rows: Int)

    /// The message for the user, naming the model.
    public var errorDescription: String? {
        switch self {
        case .alreadyQuantized(let file):
            return "\(file): the model is already quantized; quantize the float model it came from"
        case .cutoffOutOfRange(let file, let cutoff, let rows):
            return "\(file): cutoff \(cutoff) is outside 2...\(rows), the embedding's rows"
        }
    }
}
