/// Reading quantized and cut model files (format version 2): int8 weight matrices with per-row
/// scales, and an embedding cut to the rows listed in `embedding.rows`. A reader checks the
/// stored layout with ``quantizedLayoutProblem(configuration:)`` and then builds its network from
/// ``dequantizedTensors``, so every command reads such files as it reads float ones.
extension ModelFile {
    /// Whether the weight matrices are stored as int8 (any I8 tensor).
    public var isQuantized: Bool {
        integerTensors.values.contains { $0.dtype == .i8 }
    }

    /// The F32 tensors the network is built from: the float tensors as stored, and each int8
    /// matrix as q · scale per row, under its own name (the `.scale` tensors are consumed).
    /// Call it on a file whose layout is valid.
    public var dequantizedTensors: [String: Tensor] {
        var result = tensors
        for (name, tensor) in integerTensors where tensor.dtype == .i8 {
            let scales = result.removeValue(forKey: name + Quantization.scaleSuffix)!
            result[name] = Tensor(shape: tensor.shape, values: Quantization.dequantizeRows(tensor.values, scales: scales.values))
        }
        return result
    }

    /// The int8 weight matrices as stored, by name, each flattened to [rows, the rest]
    /// (`conv.q.weight` [F, D, k] becomes [F, D·k]); what ``Network/useInt8Weights(_:)`` runs on.
    /// Call it on a file whose layout is valid.
    /// - Throws: ``Int8MatrixError`` when a value or scale is out of range (a valid layout has none).
    @_spi(Internals) public func int8Matrices() throws -> [String: Int8Matrix] {
        var result: [String: Int8Matrix] = [:]
        for (name, tensor) in integerTensors where tensor.dtype == .i8 {
            let rows = tensor.shape[0], scales = tensors[name + Quantization.scaleSuffix]!.values
            result[name] = try Int8Matrix(rows: rows, cols: tensor.values.count / rows,
                                          values: tensor.values.map { Int8($0) }, scales: scales)
        }
        return result
    }

    /// The row index of a cut embedding (`embedding.rows`), or nil when the embedding has every
    /// row; for a file validated with `configuration`.
    public func embeddingRowIndex(configuration: ClassifierConfiguration) -> EmbeddingRowIndex? {
        integerTensors[EmbeddingRowIndex.tensorName].map {
            EmbeddingRowIndex(validIds: $0.values, vocabularySize: vocabulary.count, hashedRowCount: configuration.hashedRowCount)
        }
    }

    /// What is wrong with the integer tensors and scales, or nil when every I8 tensor is a
    /// weight matrix of values in [-127, 127] with an F32 `.scale` of one finite, positive scale
    /// per row, every `.scale` belongs to one, and `embedding.rows` (the only I32 tensor) is a
    /// valid ``EmbeddingRowIndex``.
    func quantizedLayoutProblem(configuration: ClassifierConfiguration) -> String? {
        for name in integerTensors.keys.sorted() {
            let tensor = integerTensors[name]!
            if name == EmbeddingRowIndex.tensorName {
                guard tensor.dtype == .i32, tensor.shape.count == 1 else { return "\(name) must be a list of I32 ids" }
                if let problem = EmbeddingRowIndex.problem(ids: tensor.values, vocabularySize: vocabulary.count,
                                                           hashedRowCount: configuration.hashedRowCount) {
                    return problem
                }
                continue
            }
            guard tensor.dtype == .i8, Quantization.isWeightMatrix(name, shape: tensor.shape) else {
                return "tensor '\(name)' of dtype \(tensor.dtype.rawValue) is not a quantized weight matrix"
            }
            guard let scales = tensors[name + Quantization.scaleSuffix], scales.shape == [tensor.shape[0]] else {
                let found = tensors[name + Quantization.scaleSuffix].map { "\($0.shape)" } ?? "missing"
                return "tensor '\(name + Quantization.scaleSuffix)' should have shape [\(tensor.shape[0])], found \(found)"
            }
            guard scales.values.allSatisfy({ $0.isFinite && $0 > 0 }) else {
                return "tensor '\(name + Quantization.scaleSuffix)' holds a scale that is not finite and positive"
            }
            guard !tensor.values.contains(-128) else { return "tensor '\(name)' holds -128, outside [-127, 127]" }
        }
        for name in tensors.keys.sorted() where name.hasSuffix(Quantization.scaleSuffix) {
            let matrix = String(name.dropLast(Quantization.scaleSuffix.count))
            guard integerTensors[matrix]?.dtype == .i8 else { return "tensor '\(name)' scales no int8 matrix" }
        }
        return nil
    }

    /// The shapes of the tensors the network is built from (``dequantizedTensors``), by name.
    var logicalTensorShapes: [String: [Int]] {
        var shapes = tensors.mapValues(\.shape)
        for (name, tensor) in integerTensors where tensor.dtype == .i8 {
            shapes[name + Quantization.scaleSuffix] = nil
            shapes[name] = tensor.shape
        }
        return shapes
    }
}
