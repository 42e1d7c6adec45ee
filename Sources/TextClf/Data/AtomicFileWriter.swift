import Foundation

/// Writes a file so that it appears complete or not at all: bytes go to a temporary file in
/// the destination's directory, which is renamed over the destination on ``commit()``.
/// Anything not committed (an error, an early return) is removed, never left behind.
///
/// A destination that exists and is not a regular file is never replaced (SPEC §5): a symbolic
/// link is followed, so its target gets the file and the link stays (a dangling link's target
/// is created); a device or FIFO is written through, since renaming over it would swap the
/// node for a plain file. A FIFO is opened without blocking, so one without a reader is an
/// error rather than a hang.
///
/// ```swift
/// try AtomicFileWriter.write(to: "vocab/words.txt") { output in
///     try output.write("hello\n")
/// }
/// ```
package final class AtomicFileWriter {
    /// The final path, as given.
    package let destination: String
    /// Where the bytes go until ``commit()``.
    package let output: BufferedOutput
    /// The temporary file to rename over the resolved destination, or nil when writing through.
    private let temporaryPath: String?
    /// The destination with symbolic links resolved: what the rename replaces.
    private let resolvedPath: String
    private var finished = false

    /// Creates the temporary file beside `destination` (beside its target, for a link), or
    /// opens a device or FIFO destination for writing through.
    /// - Throws: ``FileError`` when the directory is missing or not writable, the destination
    ///   is a directory, a link loop, or a FIFO without a reader.
    package init(destination: String) throws {
        self.destination = destination
        resolvedPath = try resolveSymbolicLinks(destination)
        var info = stat()
        if stat(resolvedPath, &info) == 0 && (info.st_mode & S_IFMT) != S_IFREG {
            if (info.st_mode & S_IFMT) == S_IFDIR { throw FileError.isDirectory(path: destination) }
            temporaryPath = nil
            output = BufferedOutput(fileDescriptor: try openForWritingThrough(resolvedPath, name: destination),
                                    name: destination)
            return
        }
        let existingMode: mode_t? = stat(resolvedPath, &info) == 0 ? info.st_mode & 0o7777 : nil
        let url = URL(fileURLWithPath: resolvedPath)
        let directory = url.deletingLastPathComponent().path
        var template = Array("\(directory)/.\(url.lastPathComponent).tmp-XXXXXX".utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else {
            throw FileError.writeFailed(path: destination, reason: FileError.systemReason)
        }
        // mkstemp creates 0600; keep a replaced file's permissions, or give a new file those a
        // plain create would (umask).
        let mask = umask(0)
        umask(mask)
        fchmod(descriptor, existingMode ?? (0o666 & ~mask))
        temporaryPath = String(cString: template.map { $0 })
        output = BufferedOutput(fileDescriptor: descriptor, name: destination)
    }

    deinit { discard() }

    /// Flushes, closes and renames the temporary file over the destination (or, writing
    /// through, flushes and closes).
    package func commit() throws {
        precondition(!finished, "AtomicFileWriter committed or discarded twice")
        do {
            try output.flush()
        } catch {
            discard()
            throw error
        }
        finished = true
        // The data reaches the disk before the rename makes it the destination.
        if temporaryPath != nil { fsync(output.descriptor) }
        guard close(output.descriptor) == 0 else {
            let reason = FileError.systemReason
            if let temporaryPath { unlink(temporaryPath) }
            throw FileError.writeFailed(path: destination, reason: reason)
        }
        guard let temporaryPath else { return }
        guard rename(temporaryPath, resolvedPath) == 0 else {
            let reason = FileError.systemReason
            unlink(temporaryPath)
            throw FileError.writeFailed(path: destination, reason: reason)
        }
    }

    /// Closes and removes the temporary file; the destination is untouched (a device or FIFO
    /// written through keeps what was already written).
    package func discard() {
        guard !finished else { return }
        finished = true
        close(output.descriptor)
        if let temporaryPath { unlink(temporaryPath) }
    }

    /// Fails early, before long work, when `destination` cannot be written. A device or FIFO is
    /// only checked for write permission: opening a FIFO and closing it would end its reader.
    /// - Throws: ``FileError`` as ``init(destination:)`` does.
    public static func checkWritable(_ destination: String) throws {
        let resolved = try resolveSymbolicLinks(destination)
        var info = stat()
        if stat(resolved, &info) == 0 && (info.st_mode & S_IFMT) != S_IFREG && (info.st_mode & S_IFMT) != S_IFDIR {
            guard access(resolved, W_OK) == 0 else {
                throw FileError.writeFailed(path: destination, reason: FileError.systemReason)
            }
            return
        }
        try AtomicFileWriter(destination: destination).discard()
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

/// `path` with every symbolic link along its last component followed; a dangling link gives
/// the path it points to, which the writer then creates.
private func resolveSymbolicLinks(_ path: String) throws -> String {
    var current = path
    for _ in 0..<40 {
        var info = stat()
        guard lstat(current, &info) == 0, (info.st_mode & S_IFMT) == S_IFLNK else { return current }
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let length = readlink(current, &buffer, buffer.count - 1)
        guard length >= 0 else { throw FileError.writeFailed(path: path, reason: FileError.systemReason) }
        let target = String(decoding: buffer[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        current = target.hasPrefix("/")
            ? target : URL(fileURLWithPath: current).deletingLastPathComponent().appendingPathComponent(target).path
    }
    throw FileError.writeFailed(path: path, reason: "too many levels of symbolic links")
}

/// Opens an existing device or FIFO for writing. Non-blocking, so that a FIFO without a reader
/// fails at once (ENXIO) instead of waiting; blocking again afterwards, so writes wait for a
/// slow reader rather than fail.
private func openForWritingThrough(_ path: String, name: String) throws -> Int32 {
    let descriptor = open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC)
    guard descriptor >= 0 else {
        let reason = errno == ENXIO ? "no process is reading it" : FileError.systemReason
        throw FileError.writeFailed(path: name, reason: reason)
    }
    let flags = fcntl(descriptor, F_GETFL)
    _ = fcntl(descriptor, F_SETFL, flags & ~O_NONBLOCK)
    return descriptor
}
