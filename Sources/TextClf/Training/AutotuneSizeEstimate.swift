/// The size a model would have once quantized to int8 (`textclf quantize`, every row kept), so
/// that `autotune --model-size` can keep to configurations that fit before training them.
///
/// Every matrix (a tensor of two or more dimensions, rows along the first) takes one byte per
/// weight and a 4-byte float scale per row; vectors (biases) stay float32. The metadata adds the
/// vocabulary and labels as JSON arrays, a tensor table entry per tensor and its scale, and the
/// configuration with one summary per epoch. It is an estimate within a few hundred bytes: the
/// file's exact header depends on values not known before training (losses, row scales).
enum AutotuneSizeEstimate {
    /// The bytes of the header's fixed parts and the configuration without its epoch summaries.
    static let fixedMetadataBytes = 1_500
    /// The bytes of one tensor-table entry.
    static let tensorEntryBytes = 90
    /// The bytes of one epoch's summary in the configuration.
    static let epochSummaryBytes = 130

    /// The estimated int8 file size of `configuration` trained `epochs` epochs with
    /// `vocabulary` and `labels`; nil when a size overflows `Int`.
    static func int8Bytes(configuration: ClassifierConfiguration, vocabulary: Vocabulary, labels: [String],
                          epochs: Int) -> Int? {
        guard let shapes = configuration.tensorShapes(vocabularySize: vocabulary.count, labelCount: labels.count)
        else { return nil }
        var bytes = 0, tensors = 0
        for shape in shapes.values {
            let count = shape.reduce(1, *)
            if shape.count >= 2 {
                bytes += count + 4 * shape[0]
                tensors += 2
            } else {
                bytes += 4 * count
                tensors += 1
            }
        }
        let vocabularyJSON = (0..<vocabulary.count).reduce(2) { $0 + vocabulary.token(for: Int32($1)).utf8.count + 3 }
        let labelsJSON = labels.reduce(2) { $0 + $1.utf8.count + 3 }
        return bytes + vocabularyJSON + labelsJSON + fixedMetadataBytes + tensors * tensorEntryBytes
            + epochs * epochSummaryBytes
    }
}
