import Foundation

/// Whole-file reads that keep the system's reason for a failure ("No such file or
/// directory", "Permission denied"), which Foundation's `Data(contentsOf:)` hides on Linux.
enum FileBytes {
    /// The bytes of the regular file at `url`.
    /// - Throws: ``FileError`` with `strerror`'s text when it cannot be opened or read, or
    ///   ``FileError/isDirectory(path:)``.
    static func read(_ url: URL) throws -> [UInt8] {
        let path = url.path
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw FileError.cannotOpen(path: path, reason: FileError.systemReason) }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw FileError.readFailed(path: path, reason: FileError.systemReason) }
        guard status.st_mode & S_IFMT != S_IFDIR else { throw FileError.isDirectory(path: path) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Int(max(status.st_size, 0)))
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw FileError.readFailed(path: path, reason: FileError.systemReason)
            }
            if count == 0 { return bytes }
            bytes.append(contentsOf: chunk[0..<count])
        }
    }
}
