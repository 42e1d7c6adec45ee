import Foundation

extension ModelFile {
    /// Writes the bytes of `serialized()` to `url` atomically: the file appears complete or not at all.
    /// - Returns: the number of bytes written.
    /// - Throws: `FileError` when the file cannot be written.
    @discardableResult
    public func write(to url: URL) throws -> Int {
        try AtomicFileWriter.write(to: url.relativePath) { try write(to: $0) }
    }
}
