/// The size a model would have once quantized to int8 (`textclf quantize`, every row kept), so
/// that `autotune --model-size` can keep to configurations that fit before training them.
///
/// Every matrix (a tensor of two or more dimensions, rows along the first) takes one byte per
/// weight and a 4-byte float scale per row; vectors (biases) stay float32. The metadata adds the
/// vocabulary and labels as JSON arrays, a tensor table entry per tensor and its scale, and the
/// configuration with one summary per epoch. It is an estimate within a few hundred bytes: the
/// file's exact header depends on values not known before training (losses, row scales).
enum AutotuneSizeEstimate {
    /// The bytes of the header's fixed parts and the configuration without its epoch summaries
    /// (measured on float32 files: about 700 for the configuration, escaped as a JSON string,
    /// and 100 for the format, version and checksum).
    static let fixedMetadataBytes = 800
    /// The bytes of one tensor-table entry (measured: 76 to 77).
    static let tensorEntryBytes = 80
    /// The bytes of one epoch's summary in the configuration (measured: 123 to 149 unescaped).
    static let epochSummaryBytes = 140
    /// What a vocabulary token or label costs besides its UTF-8 bytes: its quotes, escaped once
    /// more because the array is itself a JSON string, and a comma.
    static let perStringBytes = 5

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
        let vocabularyJSON = (0..<vocabulary.count).reduce(2) { $0 + vocabulary.token(for: Int32($1)).utf8.count + perStringBytes }
        let labelsJSON = labels.reduce(2) { $0 + $1.utf8.count + perStringBytes }
        return bytes + vocabularyJSON + labelsJSON + fixedMetadataBytes + tensors * tensorEntryBytes
            + epochs * epochSummaryBytes
    }
}
