import Foundation

/// What `textclf info` shows of a model file: its configuration, sizes, labels, vocabulary
/// and training summary, read and verified without building the network.
///
/// It is `Codable` with the keys `textclf info --json` prints (`path`, `file_size`, `config`,
/// `parameters`, `labels`, `vocabulary_size`, `tensors`, `tensor_dtypes`, `format_version`,
/// `quantized`, `icu_version`, and `embedding_rows` for a cut embedding); ``json()`` and
/// ``formattedText()`` give that command's two outputs.
public struct ModelInfo: Codable, Equatable, Sendable {
    /// A tensor's name, shape and stored element type.
    public struct TensorShape: Equatable, Sendable {
        /// The tensor's PyTorch name, e.g. `rnn.weight_ih_l0`.
        public var name: String
        /// Its dimensions, outermost first.
        public var shape: [Int]
        /// How its elements are stored: `F32`, or `I8` (quantized weights) and `I32` (row ids).
        public var dtype: String = "F32"
    }

    /// The model file as the caller named it.
    public var path: String
    /// The network's shape, tokenizer and training record.
    public var configuration: ClassifierConfiguration
    /// The labels in output order.
    public var labels: [String]
    /// The number of vocabulary ids, `<pad>` and `<unk>` included.
    public var vocabularySize: Int
    /// The tensors with their shapes, in name order.
    public var tensorShapes: [TensorShape]
    /// The number of weights of the network (quantization's scales and row ids not counted).
    public var parameterCount: Int
    /// The model file's format version (1, or 2 for quantized, cut or hashed-row models).
    public var formatVersion: Int
    /// Whether the weight matrices are stored as int8 with per-row scales.
    public var quantized: Bool
    /// The rows a cut embedding kept (`quantize --cutoff`), or nil when it has them all.
    public var embeddingRows: Int?
    /// The file's size in bytes.
    public var fileSize: Int
    /// The ICU version of the running textclf (the model's is in ``configuration``).
    public var icuVersion: String

    /// Reads and verifies the model file at `url`.
    /// - Throws: ``ModelFileError`` for anything that is not an intact model, the system's
    ///   reason included when the file cannot be read.
    public init(contentsOf url: URL) throws {
        let bytes: [UInt8]
        do {
            bytes = try FileBytes.read(url)
        } catch let error as FileError {
            throw ModelFileError.unreadable(url.path, reason: error.reason)
        }
        try self.init(file: ModelFile(bytes: bytes, name: url.path), path: url.relativePath, fileSize: bytes.count)
    }

    /// The report of a model file already read and verified (a server that keeps the bytes).
    /// - Parameters:
    ///   - file: the parsed model file.
    ///   - path: how the report names the file.
    ///   - fileSize: the file's size in bytes.
    /// - Throws: ``ModelFileError`` when the configuration, tensors or weights are unusable.
    public init(file: ModelFile, path: String, fileSize: Int) throws {
        self.path = path
        configuration = try file.validatedConfiguration(name: path)
        labels = file.labels
        vocabularySize = file.vocabulary.count
        tensorShapes = file.tensors.map { TensorShape(name: $0.key, shape: $0.value.shape) }
            + file.integerTensors.map { TensorShape(name: $0.key, shape: $0.value.shape, dtype: $0.value.dtype.rawValue) }
        tensorShapes.sort { $0.name < $1.name }
        parameterCount = file.logicalTensorShapes.values.reduce(0) { $0 + $1.reduce(1, *) }
        formatVersion = file.formatVersion
        quantized = file.isQuantized
        embeddingRows = file.integerTensors[EmbeddingRowIndex.tensorName]?.values.count
        self.fileSize = fileSize
        icuVersion = Versions.icu
    }

    /// A warning when the model was trained under another ICU version than the one loaded now.
    public var icuWarning: String? {
        icuMismatchWarning(path: path, trainedWith: configuration.icuVersion)
    }

    private enum CodingKeys: String, CodingKey {
        case path
        case fileSize = "file_size"
        case configuration = "config"
        case parameterCount = "parameters"
        case labels
        case vocabularySize = "vocabulary_size"
        case tensorShapes = "tensors"
        case tensorDTypes = "tensor_dtypes"
        case formatVersion = "format_version"
        case quantized
        case embeddingRows = "embedding_rows"
        case icuVersion = "icu_version"
    }

    /// Writes the keys `textclf info --json` prints; `tensors` maps each name to its shape.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(path, forKey: .path)
        try container.encode(fileSize, forKey: .fileSize)
        try container.encode(configuration, forKey: .configuration)
        try container.encode(parameterCount, forKey: .parameterCount)
        try container.encode(labels, forKey: .labels)
        try container.encode(vocabularySize, forKey: .vocabularySize)
        let shapes = Dictionary(tensorShapes.map { ($0.name, $0.shape) }, uniquingKeysWith: { first, _ in first })
        try container.encode(shapes, forKey: .tensorShapes)
        let dtypes = Dictionary(tensorShapes.map { ($0.name, $0.dtype) }, uniquingKeysWith: { first, _ in first })
        try container.encode(dtypes, forKey: .tensorDTypes)
        try container.encode(formatVersion, forKey: .formatVersion)
        try container.encode(quantized, forKey: .quantized)
        try container.encodeIfPresent(embeddingRows, forKey: .embeddingRows)
        try container.encode(icuVersion, forKey: .icuVersion)
    }

    /// Reads what ``encode(to:)`` writes.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        path = try container.decode(String.self, forKey: .path)
        fileSize = try container.decode(Int.self, forKey: .fileSize)
        configuration = try container.decode(ClassifierConfiguration.self, forKey: .configuration)
        parameterCount = try container.decode(Int.self, forKey: .parameterCount)
        labels = try container.decode([String].self, forKey: .labels)
        vocabularySize = try container.decode(Int.self, forKey: .vocabularySize)
        let dtypes = try container.decodeIfPresent([String: String].self, forKey: .tensorDTypes) ?? [:]
        tensorShapes = try container.decode([String: [Int]].self, forKey: .tensorShapes)
            .sorted { $0.key < $1.key }.map { TensorShape(name: $0.key, shape: $0.value, dtype: dtypes[$0.key] ?? "F32") }
        formatVersion = try container.decodeIfPresent(Int.self, forKey: .formatVersion) ?? 1
        quantized = try container.decodeIfPresent(Bool.self, forKey: .quantized) ?? false
        embeddingRows = try container.decodeIfPresent(Int.self, forKey: .embeddingRows)
        icuVersion = try container.decode(String.self, forKey: .icuVersion)
    }

    /// The model as one line of JSON with sorted keys: what `textclf info --json` prints.
    public func json() -> String {
        JSONText.document(self)
    }

    /// The model as `textclf info` prints it: one `name  value` line per item, then one line
    /// per trained epoch, ending with a newline.
    public func formattedText() -> String {
        let c = configuration
        var lines = ["model        \(path) (\(fileSize) bytes)"]
        var shape = "\(c.arch.rawValue), embedding \(vocabularySize + c.hashedRowCount)×\(c.dim)"
        switch c.arch {
        case .pool: break
        case .rnn, .lstm, .gru:
            shape += ", hidden \(c.hidden), \(c.layers) layer(s)" + (c.bidirectional ? ", bidirectional" : "")
        case .cnn:
            shape += ", kernels \(c.kernelSizes.map(String.init).joined(separator: ",")) × \(c.filters) filters"
        }
        lines.append("architecture \(shape), \(c.pooling.rawValue) pooling, dropout \(c.dropout)")
        lines.append("output       \(c.loss.rawValue) loss\(c.multilabel ? ", multi-label" : ""), "
                     + "\(c.outputCount(labelCount: labels.count)) output(s)")
        lines.append("parameters   \(parameterCount)")
        lines.append("labels       \(labels.count): \(labels.joined(separator: " "))")
        lines.append("vocabulary   \(vocabularySize) ids (with <pad> and <unk>), max length \(c.maxLength)")
        if c.usesHashedRows {
            let ngrams = c.wordNgrams > 1 ? "word n-grams 2...\(c.wordNgrams)" : "no word n-grams"
            let subwords = c.minn > 0 ? "subwords of \(c.minn)...\(c.maxn) graphemes" : "no subwords"
            lines.append("hashed rows  \(c.buckets) buckets after the vocabulary: \(ngrams), \(subwords)")
        }
        lines.append("tokenizer    \(c.tokenizer), ICU \(c.icuVersion)")
        lines.append("tensors      " + tensorShapes.map { "\($0.name) \($0.shape)" + ($0.dtype == "F32" ? "" : " \($0.dtype)") }
            .joined(separator: ", "))
        if quantized || embeddingRows != nil {
            var storage = quantized ? ["int8 weight matrices with per-row F32 scales"] : []
            if let embeddingRows { storage.append("embedding cut to \(embeddingRows) rows") }
            lines.append("quantized    " + storage.joined(separator: "; ") + ", format version \(formatVersion)")
        }
        if let training = c.training {
            lines.append("training     \(training.optimizer) lr \(training.learningRate) (\(training.learningRateSchedule)), "
                         + "batch \(training.batchSize), \(training.history.count) epoch(s), seed \(training.seed), "
                         + "\(training.trainExamples) train / \(training.validExamples) valid examples, "
                         + "kept epoch \(training.keptEpoch)")
            for epoch in training.history {
                var line = String(format: "  epoch %3d  train loss %.4f acc %6.2f%%",
                                  epoch.epoch, epoch.trainLoss, epoch.trainAccuracy * 100)
                if let loss = epoch.validLoss, let accuracy = epoch.validAccuracy {
                    line += String(format: "  valid loss %.4f acc %6.2f%%", loss, accuracy * 100)
                }
                lines.append(line)
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

/// The warning for a model trained under another ICU version than the one running now, whose
/// segmentation may differ; nil when the versions agree.
func icuMismatchWarning(path: String, trainedWith version: String) -> String? {
    version == Versions.icu ? nil
        : "\(path): trained with ICU \(version), running ICU \(Versions.icu); tokenization may differ"
}
