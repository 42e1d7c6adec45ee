import Foundation

extension ModelFile {
    /// Writes `serialized()` to `url` atomically: the file appears complete or not at all.
    /// - Returns: the number of bytes written.
    /// - Throws: `FileError` when the file cannot be written.
    @discardableResult
    public func write(to url: URL) throws -> Int {
        let bytes = serialized()
        try AtomicFileWriter.write(to: url.relativePath) { output in
            try bytes.withUnsafeBufferPointer { try output.write(bytes: $0) }
        }
        return bytes.count
    }
}
