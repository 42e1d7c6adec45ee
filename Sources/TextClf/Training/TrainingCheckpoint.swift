import Foundation

/// Everything needed to continue a training run where it stopped, byte for byte: the weights,
/// the best epoch's weights, the optimizer state, the position in the data and the partial sums
/// (`TrainingProgress`), and a fingerprint of the options and data it belongs to.
///
/// Stored as one safetensors file (`checkpoint.safetensors` in the checkpoint directory), written
/// atomically, so an interruption while saving leaves the previous checkpoint intact.
public struct TrainingCheckpoint: Sendable {
    /// The file name inside a checkpoint directory; only the latest checkpoint is kept.
    public static let fileName = "checkpoint.safetensors"
    static let format = "textclf-checkpoint"
    static let formatVersion = 1

    /// The settings and data the run depends on, by name (`learning_rate`, `training data`, …);
    /// a checkpoint is only resumed under an equal fingerprint.
    public var fingerprint: [String: String]
    /// Where the run was.
    public var progress: TrainingProgress
    /// The network's tensors as `Network.tensors` names them.
    public var network: [String: Tensor]
    /// The tensors of the epoch of lowest validation loss, when there is one.
    public var best: [String: Tensor]?
    /// The optimizer's moments and step counts.
    public var optimizer: OptimizerSnapshot

    /// A checkpoint of these parts.
    public init(fingerprint: [String: String], progress: TrainingProgress, network: [String: Tensor],
                best: [String: Tensor]?, optimizer: OptimizerSnapshot) {
        self.fingerprint = fingerprint
        self.progress = progress
        self.network = network
        self.best = best
        self.optimizer = optimizer
    }

    /// The file's bytes.
    public func serialized() -> [UInt8] {
        var container = Safetensors()
        for (name, tensor) in network { container.tensors["network." + name] = tensor }
        for (name, tensor) in best ?? [:] { container.tensors["best." + name] = tensor }
        for (name, tensor) in optimizer.tensors { container.tensors["optimizer." + name] = tensor }
        let fields = [
            "fingerprint": JSONText.document(fingerprint),
            "progress": JSONText.document(progress),
            "optimizer_steps": JSONText.document(optimizer.steps),
        ]
        container.metadata = fields
        container.metadata["format"] = Self.format
        container.metadata["format_version"] = String(Self.formatVersion)
        container.metadata["checksum"] = Self.checksum(data: container.dataSection, fields: fields)
        return container.serialized()
    }

    /// Parses and verifies a checkpoint's bytes; `name` labels errors.
    /// - Throws: `CheckpointError.unusable` for anything that is not an intact checkpoint.
    public init(bytes: [UInt8], name: String) throws {
        func unusable(_ reason: String) -> CheckpointError { .unusable(name, reason: reason) }
        let container: Safetensors
        do {
            container = try Safetensors(bytes: bytes, name: name)
        } catch {
            throw unusable("not a checkpoint file (\(error.localizedDescription))")
        }
        let metadata = container.metadata
        guard metadata["format"] == Self.format else { throw unusable("not a textclf checkpoint") }
        guard metadata["format_version"] == String(Self.formatVersion) else {
            throw unusable("checkpoint format version \(metadata["format_version"] ?? "?") is not \(Self.formatVersion)")
        }
        var fields: [String: String] = [:]
        for key in ["fingerprint", "progress", "optimizer_steps"] {
            guard let value = metadata[key] else { throw unusable("it lacks \(key)") }
            fields[key] = value
        }
        guard metadata["checksum"] == Self.checksum(data: container.dataSection, fields: fields) else {
            throw unusable("it is corrupted (checksum mismatch)")
        }
        let decoder = JSONDecoder()
        do {
            fingerprint = try decoder.decode([String: String].self, from: Data(fields["fingerprint"]!.utf8))
            progress = try decoder.decode(TrainingProgress.self, from: Data(fields["progress"]!.utf8))
            let steps = try decoder.decode([String: Int].self, from: Data(fields["optimizer_steps"]!.utf8))
            var network: [String: Tensor] = [:], best: [String: Tensor] = [:], optimizer: [String: Tensor] = [:]
            for (key, tensor) in container.tensors {
                if key.hasPrefix("network.") {
                    network[String(key.dropFirst("network.".count))] = tensor
                } else if key.hasPrefix("best.") {
                    best[String(key.dropFirst("best.".count))] = tensor
                } else if key.hasPrefix("optimizer.") {
                    optimizer[String(key.dropFirst("optimizer.".count))] = tensor
                } else {
                    throw unusable("unexpected tensor '\(key)'")
                }
            }
            self.network = network
            self.best = best.isEmpty ? nil : best
            self.optimizer = OptimizerSnapshot(tensors: optimizer, steps: steps)
        } catch let error as CheckpointError {
            throw error
        } catch {
            throw unusable("its state cannot be read")
        }
    }

    /// The checkpoint file in `directory`.
    package static func path(in directory: String) -> String {
        URL(fileURLWithPath: directory).appendingPathComponent(fileName).path
    }

    /// Writes the checkpoint into `directory` (created when missing), replacing the previous one
    /// atomically.
    package func save(in directory: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw FileError.writeFailed(path: directory, reason: "cannot create the checkpoint directory")
        }
        try AtomicFileWriter.write(to: Self.path(in: directory)) { output in
            try serialized().withUnsafeBufferPointer { try output.write(bytes: $0) }
        }
    }

    /// Reads the checkpoint in `directory`.
    /// - Throws: `CheckpointError.missing` when there is none, `.unusable` when it is damaged.
    package init(directory: String) throws {
        let path = Self.path(in: directory)
        guard let data = FileManager.default.contents(atPath: path) else { throw CheckpointError.missing(directory) }
        try self.init(bytes: [UInt8](data), name: path)
    }

    /// Refuses to resume under a fingerprint that differs from the checkpoint's.
    /// - Throws: `CheckpointError.mismatch` naming the first setting that differs.
    package func check(fingerprint current: [String: String], directory: String) throws {
        for key in Set(fingerprint.keys).union(current.keys).sorted() where fingerprint[key] != current[key] {
            throw CheckpointError.mismatch(directory, setting: key, saved: fingerprint[key] ?? "none",
                                           now: current[key] ?? "none")
        }
    }

    private static func checksum(data: [UInt8], fields: [String: String]) -> String {
        var crc = CRC32()
        crc.update(data)
        for key in fields.keys.sorted() { crc.update(key.utf8); crc.update(fields[key]!.utf8) }
        return crc.hexDigits
    }
}

/// An optimizer's state as tensors (moments, momentum buffers: `NAME.first_moment`, …) and step
/// counts by parameter name.
public struct OptimizerSnapshot: Sendable, Equatable {
    /// The state tensors by `PARAMETER.KIND` name.
    public var tensors: [String: Tensor] = [:]
    /// Adam's step count per parameter.
    public var steps: [String: Int] = [:]

    /// A snapshot of these parts.
    public init(tensors: [String: Tensor] = [:], steps: [String: Int] = [:]) {
        self.tensors = tensors
        self.steps = steps
    }
}

/// Why a checkpoint cannot be resumed.
public enum CheckpointError: Error, Equatable, LocalizedError {
    /// The directory holds no checkpoint.
    case missing(String)
    /// The checkpoint file is damaged or does not fit the data.
    case unusable(String, reason: String)
    /// The checkpoint was made with another value of `setting`.
    case mismatch(String, setting: String, saved: String, now: String)

    public var errorDescription: String? {
        switch self {
        case .missing(let directory):
            return "\(directory): no checkpoint to resume (\(TrainingCheckpoint.fileName) is missing)"
        case .unusable(let file, let reason):
            return "\(file): cannot resume from this checkpoint: \(reason)"
        case .mismatch(let directory, let setting, let saved, let now):
            return "\(directory): the checkpoint was made with other \(setting) (\(saved), now \(now)); "
                + "resume with the original command or drop --resume"
        }
    }
}
