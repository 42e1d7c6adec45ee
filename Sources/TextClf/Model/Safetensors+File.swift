import Foundation

extension Safetensors {
    /// Writes `serialized()` to `url` atomically: the file appears complete or not at all.
    /// Any named tensors can be stored this way, not only a classifier's model file; PyTorch
    /// reads them with `safetensors.torch.load_file`.
    /// - Throws: `FileError` when the file cannot be written.
    public func write(to url: URL) throws {
        let bytes = serialized()
        try AtomicFileWriter.write(to: url.path) { output in
            try bytes.withUnsafeBufferPointer { try output.write(bytes: $0) }
        }
    }
}
