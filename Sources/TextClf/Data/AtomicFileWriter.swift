import Foundation

/// Writes a file so that it appears complete or not at all: bytes go to a temporary file in
/// the destination's directory, which is renamed over the destination on ``commit()``.
/// Anything not committed (an error, an early return) is removed, never left behind.
///
/// ```swift
/// try AtomicFileWriter.write(to: "vocab/words.txt") { output in
///     try output.write("hello\n")
/// }
/// ```
package final class AtomicFileWriter {
    /// The final path.
    package let destination: String
    /// Where the bytes go until ``commit()``.
    package let output: BufferedOutput
    private let temporaryPath: String
    private var finished = false

    /// Creates the temporary file beside `destination`.
    /// - Throws: ``FileError`` when the directory is missing or not writable, or the
    ///   destination is a directory.
    package init(destination: String) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: destination, isDirectory: &isDirectory), isDirectory.boolValue {
            throw FileError.isDirectory(path: destination)
        }
        let url = URL(fileURLWithPath: destination)
        let directory = url.deletingLastPathComponent().path
        var template = Array("\(directory)/.\(url.lastPathComponent).tmp-XXXXXX".utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else {
            throw FileError.writeFailed(path: destination, reason: FileError.systemReason)
        }
        // mkstemp creates 0600; give the file the permissions a plain create would (umask).
        let mask = umask(0)
        umask(mask)
        fchmod(descriptor, 0o666 & ~mask)
        self.destination = destination
        temporaryPath = String(cString: template.map { $0 })
        output = BufferedOutput(fileDescriptor: descriptor, name: destination)
    }

    deinit { discard() }

    /// Flushes, closes and renames the temporary file over the destination.
    package func commit() throws {
        precondition(!finished, "AtomicFileWriter committed or discarded twice")
        do {
            try output.flush()
        } catch {
            discard()
            throw error
        }
        finished = true
        guard close(output.descriptor) == 0 else {
            let reason = FileError.systemReason
            unlink(temporaryPath)
            throw FileError.writeFailed(path: destination, reason: reason)
        }
        guard rename(temporaryPath, destination) == 0 else {
            let reason = FileError.systemReason
            unlink(temporaryPath)
            throw FileError.writeFailed(path: destination, reason: reason)
        }
    }

    /// Closes and removes the temporary file; the destination is untouched.
    package func discard() {
        guard !finished else { return }
        finished = true
        close(output.descriptor)
        unlink(temporaryPath)
    }

    /// Runs `body` on a writer for `destination` and commits when it returns; when it throws,
    /// the temporary file is removed and the error passes on.
    package static func write<R>(to destination: String, _ body: (BufferedOutput) throws -> R) throws -> R {
        let writer = try AtomicFileWriter(destination: destination)
        do {
            let result = try body(writer.output)
            try writer.commit()
            return result
        } catch {
            writer.discard()
            throw error
        }
    }
}
