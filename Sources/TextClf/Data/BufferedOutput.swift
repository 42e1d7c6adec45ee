import Foundation

/// Buffered writes to a file descriptor (standard output or a file being written).
package final class BufferedOutput {
    /// The name used in messages: the destination path or `<stdout>`.
    package let name: String
    let descriptor: Int32
    private var buffer: [UInt8] = []
    private let flushThreshold = 1 << 16

    /// Writes to an open descriptor, which the caller keeps owning.
    package init(fileDescriptor: Int32, name: String) {
        descriptor = fileDescriptor
        self.name = name
        buffer.reserveCapacity(flushThreshold)
    }

    /// Standard output.
    package static func standardOutput() -> BufferedOutput {
        BufferedOutput(fileDescriptor: STDOUT_FILENO, name: "<stdout>")
    }

    /// Appends the UTF-8 of `text`.
    package func write(_ text: String) throws {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= flushThreshold { try flush() }
    }

    /// Appends raw bytes.
    package func write(bytes: UnsafeBufferPointer<UInt8>) throws {
        buffer.append(contentsOf: bytes)
        if buffer.count >= flushThreshold { try flush() }
    }

    /// Appends one byte; the caller ends the line with ``endLine()``, which flushes when due.
    package func append(_ byte: UInt8) {
        buffer.append(byte)
    }

    /// Appends bytes; the caller ends the line with ``endLine()``, which flushes when due.
    package func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        buffer.append(contentsOf: bytes)
    }

    /// Appends bytes; the caller ends the line with ``endLine()``, which flushes when due.
    package func append(_ bytes: [UInt8]) {
        buffer.append(contentsOf: bytes)
    }

    /// Appends a newline, and writes the buffer out once it holds enough.
    package func endLine() throws {
        buffer.append(0x0A)
        if buffer.count >= flushThreshold { try flush() }
    }

    /// Writes out everything buffered.
    package func flush() throws {
        var written = 0
        try buffer.withUnsafeBytes { bytes in
            while written < bytes.count {
                let count = Foundation.write(descriptor, bytes.baseAddress! + written, bytes.count - written)
                if count < 0 {
                    if errno == EINTR { continue }
                    if errno == EPIPE { throw FileError.closedPipe(path: name) }
                    throw FileError.writeFailed(path: name, reason: FileError.systemReason)
                }
                written += count
            }
        }
        buffer.removeAll(keepingCapacity: true)
    }
}
