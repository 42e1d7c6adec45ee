import Foundation
import Synchronization
@_spi(Internals) import TextClf

// Every use of the TextClf library by the server is in this file, so that a change of the
// library's API touches the server here only.

/// A model file loaded for serving: the classifier, its checksum and its `info --json` object.
///
/// Immutable once loaded; a reload makes a new one, and a request keeps the one it started on.
final class LoadedModel: Sendable {
    /// The model file's checksum (CRC-32, 8 hex digits), as its metadata records it.
    let checksum: String
    /// The object `textclf info --json` prints for this file, as JSON text.
    let infoJSON: String
    private let classifier: Classifier

    /// Reads, verifies and loads the model file at `path`.
    /// - Throws: `ModelFileError` (or another error with a message) when the file is unusable.
    init(path: String) throws {
        let bytes: [UInt8]
        do {
            bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw ModelFileError.unreadable(path, reason: (error as NSError).localizedFailureReason ?? error.localizedDescription)
        }
        let file = try ModelFile(bytes: bytes, name: path)
        // One thread per call: the server's own threads give the parallelism, each running its
        // own batch.
        classifier = try Classifier(file: file, name: path, threads: 1)
        checksum = try Self.recordedChecksum(bytes, path: path)
        infoJSON = try ModelInfo(file: file, path: path, fileSize: bytes.count).json()
    }

    /// A warning when the model was trained under another ICU version than the one running now.
    var icuWarning: String? {
        classifier.icuWarning
    }

    /// Every label's probability per text (nil for a text without any token), in label order.
    /// Runs on the calling thread: the server sets the library to one thread and runs several
    /// batches at once on its own threads.
    func probabilities(_ texts: [String]) -> [[Float]?] {
        classifier.probabilities(texts).rows
    }

    /// The labels and probabilities `classify` would show for one row, best first (or every
    /// label in model order).
    func predictions(_ row: [Float]?, choice: LabelChoice) -> [(label: String, probability: Float)] {
        guard let row else { return [] }
        if choice.allProbabilities { return Array(zip(classifier.labels, row)) }
        return classifier.select(row, k: choice.k, threshold: choice.threshold).map { ($0.label, $0.probability) }
    }

    /// The line `textclf classify --format jsonl` writes for `text`.
    func jsonlLine(text: String, row: [Float]?, choice: LabelChoice) -> String {
        PredictionFormat(style: .jsonl, k: choice.k, threshold: choice.threshold,
                         allProbabilities: choice.allProbabilities)
            .line(text: text, probabilities: row, classifier: classifier)
    }

    /// The checksum in the file's `__metadata__` (the library verified it while loading).
    private static func recordedChecksum(_ bytes: [UInt8], path: String) throws -> String {
        let headerLength = bytes.prefix(8).reversed().reduce(0) { $0 << 8 | Int($1) }
        let header = try JSONSerialization.jsonObject(with: Data(bytes[8 ..< 8 + headerLength])) as? [String: Any]
        guard let metadata = header?["__metadata__"] as? [String: Any], let checksum = metadata["checksum"] as? String else {
            throw ModelFileError.malformed(path, reason: "metadata lacks a checksum")
        }
        return checksum
    }
}

/// The model being served; a reload swaps it atomically.
final class ModelSlot: Sendable {
    /// The model file's path, read again on every reload.
    let path: String
    private let model: Mutex<LoadedModel>

    /// Loads the model at `path`.
    /// - Throws: when the file is unusable.
    init(path: String) throws {
        self.path = path
        model = Mutex(try LoadedModel(path: path))
    }

    /// The model new requests use.
    var current: LoadedModel { model.withLock { $0 } }

    /// Loads the file again and serves it from now on; on failure the old model stays.
    /// - Returns: the new model.
    /// - Throws: why the file is unusable.
    func reload() throws -> LoadedModel {
        let loaded = try LoadedModel(path: path)
        model.withLock { $0 = loaded }
        return loaded
    }
}

/// Text-level helpers that must match `textclf classify` exactly.
enum ClassifyText {
    /// Keeps freed memory in the process, as the CLI does: otherwise every batch maps its
    /// buffers anew and pays their page faults.
    static func keepFreedMemory() {
        ProcessMemory.keepFreedMemoryForReuse()
    }

    /// `bytes` as UTF-8 with every invalid sequence replaced by U+FFFD, as classify reads lines.
    static func repairedUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        UTF8Repair.decode(bytes).text
    }

    /// A line's text without leading `__label__X` tokens, as classify reads it.
    static func strippingLabels(_ line: String) -> String {
        PredictionFormat.strippingLabels(line)
    }
}
