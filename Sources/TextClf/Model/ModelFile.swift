import Foundation

/// The textclf model file: one safetensors file whose tensors carry PyTorch's names and whose
/// `__metadata__` describes the model (SPEC §3).
///
/// Metadata keys: `format` = `textclf`, `format_version`, `config` (JSON text), `vocabulary`
/// (JSON array of tokens in id order), `labels` (JSON array in output order) and `checksum`:
/// CRC-32 (zlib) over the tensor data section followed by the UTF-8 of config, vocabulary and
/// labels, as 8 lowercase hex digits. A file is refused when any of these is missing or wrong.
///
/// Version 2 adds integer tensors (quantized I8 weights, I32 row ids) and the hashed n-gram and
/// subword rows; its checksum also covers the header's tensor table (names, dtypes, shapes and
/// offsets), inserted after the data section. A model without those features is still written as
/// version 1, so its bytes stay what earlier builds wrote.
public struct ModelFile: Sendable {
    /// The newest version this build reads and writes. Every version up to it is read.
    public static let newestFormatVersion = 2

    /// The version these contents are written as: 1, or 2 when they use a version-2 feature.
    public var formatVersion: Int
    /// The F32 tensors by PyTorch name (`embedding.weight`, `fc.bias`, …).
    public var tensors: [String: Tensor]
    /// The I8 and I32 tensors (version 2): quantized weights and row ids.
    public var integerTensors: [String: IntegerTensor]
    /// The model's configuration as canonical JSON (sorted keys).
    public var config: String
    /// The tokens in id order, `<pad>` and `<unk>` first.
    public var vocabulary: [String]
    /// The labels in output order (sorted by their UTF-8 bytes).
    public var labels: [String]

    /// A model file of these parts, to be serialized as `formatVersion`: nil takes 1 for F32
    /// tensors alone and 2 with integer tensors; a configuration that uses a version-2 feature
    /// passes its ``ClassifierConfiguration/minimumFormatVersion``.
    public init(tensors: [String: Tensor], integerTensors: [String: IntegerTensor] = [:], config: String,
                vocabulary: [String], labels: [String], formatVersion: Int? = nil) {
        let version = formatVersion ?? (integerTensors.isEmpty ? 1 : 2)
        precondition((1...Self.newestFormatVersion).contains(version), "format version \(version) is unknown")
        precondition(integerTensors.isEmpty || version >= 2, "integer tensors need format version 2")
        self.formatVersion = version
        self.tensors = tensors
        self.integerTensors = integerTensors
        self.config = config
        self.vocabulary = vocabulary
        self.labels = labels
    }

    /// The file's bytes: the same model always gives the same bytes.
    public func serialized() -> [UInt8] {
        container.serialized()
    }

    /// Writes the bytes of ``serialized()`` to `output`, tensors straight from their storage,
    /// so that writing a model never holds a second copy of it.
    /// - Returns: the number of bytes written.
    /// - Throws: `FileError` when writing fails.
    @discardableResult
    package func write(to output: BufferedOutput) throws -> Int {
        try container.write(to: output)
    }

    /// The safetensors container of the file: its tensors and the metadata, checksum included.
    private var container: Safetensors {
        var container = Safetensors(tensors: tensors, integerTensors: integerTensors)
        let vocabularyJSON = jsonArray(vocabulary), labelsJSON = jsonArray(labels)
        container.metadata = [
            "format": "textclf",
            "format_version": String(formatVersion),
            "config": config,
            "vocabulary": vocabularyJSON,
            "labels": labelsJSON,
            "checksum": Self.checksum(version: formatVersion, container: container, config: config,
                                      vocabulary: vocabularyJSON, labels: labelsJSON),
        ]
        return container
    }

    /// Parses and verifies a model file's bytes; `name` (usually the path) labels errors.
    /// - Throws: `ModelFileError` for anything that is not an intact model of a known version.
    public init(bytes: [UInt8], name: String) throws {
        // A safetensors header is a JSON object right after the 8-byte length.
        guard bytes.count > 8, bytes[8] == UInt8(ascii: "{") else { throw ModelFileError.notAModel(name) }
        let container: Safetensors
        do {
            container = try Safetensors(bytes: bytes, name: name)
        } catch SafetensorsError.truncated {
            throw ModelFileError.truncated(name)
        } catch {
            throw ModelFileError.notAModel(name)
        }
        let metadata = container.metadata
        guard metadata["format"] == "textclf" else { throw ModelFileError.notAModel(name) }
        guard let versionText = metadata["format_version"], let version = Int(versionText) else {
            throw ModelFileError.malformed(name, reason: "format_version is missing")
        }
        guard (1...Self.newestFormatVersion).contains(version) else {
            throw ModelFileError.unsupportedVersion(name, found: versionText, supported: Self.newestFormatVersion)
        }
        guard let config = metadata["config"], let vocabularyJSON = metadata["vocabulary"],
              let labelsJSON = metadata["labels"], let checksum = metadata["checksum"]
        else {
            throw ModelFileError.malformed(name, reason: "metadata lacks config, vocabulary, labels or checksum")
        }
        let expected = Self.checksum(version: version, container: container, config: config,
                                     vocabulary: vocabularyJSON, labels: labelsJSON)
        guard checksum == expected else { throw ModelFileError.checksumMismatch(name) }
        guard version >= 2 || container.integerTensors.isEmpty else {
            throw ModelFileError.malformed(name, reason: "integer tensors need format version 2, the file says 1")
        }
        guard let vocabulary = decodeStringArray(vocabularyJSON), let labels = decodeStringArray(labelsJSON) else {
            throw ModelFileError.malformed(name, reason: "vocabulary or labels is not a JSON array of strings")
        }
        self.init(tensors: container.tensors, integerTensors: container.integerTensors, config: config,
                  vocabulary: vocabulary, labels: labels, formatVersion: version)
    }

    /// Reads and verifies the model file at `url`.
    /// - Throws: ``ModelFileError/unreadable(_:reason:)`` with the system's reason when the
    ///   file cannot be read; the errors of ``init(bytes:name:)``.
    public init(contentsOf url: URL) throws {
        let bytes: [UInt8]
        do {
            bytes = try FileBytes.read(url)
        } catch let error as FileError {
            throw ModelFileError.unreadable(url.path, reason: error.reason)
        }
        try self.init(bytes: bytes, name: url.path)
    }

    static func checksum(version: Int, container: Safetensors, config: String, vocabulary: String,
                         labels: String) -> String {
        var crc = CRC32()
        container.forEachDataPart { crc.update($0) }
        if version >= 2 { crc.update(container.tensorTable.utf8) }
        crc.update(config.utf8)
        crc.update(vocabulary.utf8)
        crc.update(labels.utf8)
        return crc.hexDigits
    }
}

/// Why a model file cannot be used.
public enum ModelFileError: Error, Equatable, LocalizedError {
    /// The file cannot be read; `reason` is the system's ("No such file or directory").
    case unreadable(String, reason: String)
    /// The file is not a textclf model (another safetensors file, or not safetensors).
    case notAModel(String)
    /// The file ends before its header or tensors do.
    case truncated(String)
    /// The checksum does not match the contents: the file is corrupted.
    case checksumMismatch(String)
    /// The file's format version is newer than this build reads.
    case unsupportedVersion(String, found: String, supported: Int)
    /// The metadata or tensors are missing or inconsistent; `reason` says how.
    case malformed(String, reason: String)
    /// The configuration holds a value the network cannot be built from.
    case invalidConfiguration(String, reason: String)
    /// A weight is NaN or infinite, which would turn every prediction into garbage.
    case nonFiniteWeight(String, tensor: String)

    /// The message for the user, naming the file.
    public var errorDescription: String? {
        switch self {
        case .unreadable(let file, let reason):
            return "\(file): cannot read the model file: \(reason)"
        case .notAModel(let file):
            return "\(file): not a textclf model file"
        case .truncated(let file):
            return "\(file): the model file is truncated"
        case .checksumMismatch(let file):
            return "\(file): the model file is corrupted (checksum mismatch)"
        case .unsupportedVersion(let file, let found, let supported):
            return "\(file): model format version \(found) is newer than this textclf reads (up to \(supported)); upgrade textclf"
        case .malformed(let file, let reason):
            return "\(file): malformed model file: \(reason)"
        case .invalidConfiguration(let file, let reason):
            return "\(file): invalid model configuration: \(reason)"
        case .nonFiniteWeight(let file, let tensor):
            return "\(file): tensor '\(tensor)' holds NaN or infinite weights"
        }
    }
}

/// A JSON array of strings in canonical form (no spaces, minimal escapes).
func jsonArray(_ strings: [String]) -> String {
    // One string grown in place: a big vocabulary would otherwise also live as an array of
    // quoted copies, just when writing the model file makes memory peak.
    var json = "["
    for (index, string) in strings.enumerated() {
        if index > 0 { json += "," }
        json += JSONText.quoted(string)
    }
    return json + "]"
}

/// The strings of the JSON array `json`, or nil when it is not a JSON array of strings.
func decodeStringArray(_ json: String) -> [String]? {
    var json = json
    return json.withUTF8 { bytes in
        var reader = JSONReader(bytes: bytes, knownValid: true)
        return reader.stringArrayDocument()
    }
}
