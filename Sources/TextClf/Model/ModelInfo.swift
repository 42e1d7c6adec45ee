import Foundation

/// What `textclf info` shows of a model file: its configuration, sizes, labels, vocabulary
/// and training summary, read and verified without building the network.
public struct ModelInfo: Sendable {
    public let path: String
    public let configuration: ClassifierConfiguration
    public let labels: [String]
    public let vocabulary: [String]
    /// Tensor names with their shapes, in name order.
    public let tensorShapes: [(name: String, shape: [Int])]
    public let parameterCount: Int
    public let fileSize: Int

    /// Reads and verifies the model file at `path`.
    /// - Throws: `ModelFileError` for anything that is not an intact model.
    public init(path: String) throws {
        let url = URL(fileURLWithPath: path)
        let file = try ModelFile(contentsOf: url)
        let configuration = try file.validatedConfiguration(name: path)
        self.path = path
        self.configuration = configuration
        labels = file.labels
        vocabulary = file.vocabulary
        tensorShapes = file.tensors.keys.sorted().map { ($0, file.tensors[$0]!.shape) }
        parameterCount = file.tensors.values.reduce(0) { $0 + $1.values.count }
        fileSize = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
    }

    /// A warning when the model was trained under another ICU version than the one loaded now.
    public var icuWarning: String? {
        icuMismatchWarning(path: path, trainedWith: configuration.icuVersion)
    }
}

/// The warning for a model trained under another ICU version than the one running now, whose
/// segmentation may differ; nil when the versions agree.
func icuMismatchWarning(path: String, trainedWith version: String) -> String? {
    version == icuVersion ? nil
        : "\(path): trained with ICU \(version), running ICU \(icuVersion); tokenization may differ"
}
