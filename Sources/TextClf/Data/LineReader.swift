import Foundation

/// Reads lines from a file descriptor through one reusable buffer, so memory grows with the
/// longest line, never with the file size. Accepts LF and CRLF endings and skips a UTF-8 BOM.
///
/// ```swift
/// let reader = try LineReader(path: "corpus.txt")
/// while let line = try reader.nextString() { print(reader.lineNumber, line) }
/// ```
package final class LineReader {
    /// The name used in messages: the path, or e.g. `<stdin>`.
    package let name: String
    /// The 1-based number of the line last returned (0 before the first).
    package private(set) var lineNumber = 0
    /// Invalid UTF-8 sequences replaced by U+FFFD so far by ``nextString()``.
    package private(set) var replacements = 0

    private let descriptor: Int32
    private let ownsDescriptor: Bool
    private var buffer: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private var start = 0, end = 0
    private var reachedEnd = false

    /// Opens the file at `path` for reading.
    /// - Throws: ``FileError`` when it is missing, unreadable or a directory.
    package convenience init(path: String) throws {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw FileError.cannotOpen(path: path, reason: FileError.systemReason) }
        var info = stat()
        if fstat(descriptor, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR {
            close(descriptor)
            throw FileError.isDirectory(path: path)
        }
        self.init(fileDescriptor: descriptor, name: path, ownsDescriptor: true)
    }

    /// Reads from an open descriptor, e.g. `STDIN_FILENO`.
    /// - Parameter ownsDescriptor: whether the reader closes it when done.
    package init(fileDescriptor: Int32, name: String, ownsDescriptor: Bool = false) {
        descriptor = fileDescriptor
        self.name = name
        self.ownsDescriptor = ownsDescriptor
        capacity = 1 << 16
        buffer = .allocate(capacity: capacity)
    }

    deinit {
        buffer.deallocate()
        if ownsDescriptor { close(descriptor) }
    }

    /// The next line's bytes without its ending, valid until the next call; nil at the end.
    package func nextLine() throws -> UnsafeBufferPointer<UInt8>? {
        while true {
            if let newline = memchr(buffer + start, 0x0A, end - start) {
                let lineEnd = buffer.distance(to: newline.assumingMemoryBound(to: UInt8.self))
                return emit(lineEnd, next: lineEnd + 1)
            }
            if reachedEnd {
                // A last line without a newline still counts; an empty tail is no line.
                return end > start ? emit(end, next: end) : nil
            }
            try fill()
        }
    }

    /// Whether ``nextLine()`` would return without waiting: a whole line is buffered, the
    /// input has ended, or bytes can be read at once (then they are read, and the question is
    /// asked again). A file is always ready; a pipe or terminal whose writer pauses is not, which
    /// lets a streaming consumer answer what it has before it blocks.
    public func hasLineReady() throws -> Bool {
        while true {
            if reachedEnd || memchr(buffer + start, 0x0A, end - start) != nil { return true }
            var request = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            // An interrupted or failed poll counts as "not ready": the caller then answers what
            // it holds and reads on, where a real read error surfaces.
            guard poll(&request, 1, 0) > 0 else { return false }
            try fill()
        }
    }

    /// The next line decoded as UTF-8 (invalid sequences become U+FFFD and are counted in
    /// ``replacements``); nil at the end.
    package func nextString() throws -> String? {
        guard let line = try nextLine() else { return nil }
        let (text, repairs) = UTF8Repair.decode(line)
        replacements += repairs
        return text
    }

    private func emit(_ lineEnd: Int, next: Int) -> UnsafeBufferPointer<UInt8> {
        var first = start, last = lineEnd
        if last > first && buffer[last - 1] == 0x0D { last -= 1 }
        if lineNumber == 0 && last - first >= 3 && buffer[first] == 0xEF && buffer[first + 1] == 0xBB
            && buffer[first + 2] == 0xBF {
            first += 3
        }
        start = next
        lineNumber += 1
        return UnsafeBufferPointer(start: buffer + first, count: last - first)
    }

    /// Reads more bytes, first moving the partial line to the front (or growing the buffer
    /// when the partial line fills it).
    private func fill() throws {
        if start > 0 {
            let pending = end - start
            if pending > 0 { memmove(buffer, buffer + start, pending) }
            start = 0
            end = pending
        }
        if end == capacity {
            let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity * 2)
            grown.update(from: buffer, count: end)
            buffer.deallocate()
            buffer = grown
            capacity *= 2
        }
        while true {
            let count = read(descriptor, buffer + end, capacity - end)
            if count < 0 {
                if errno == EINTR { continue }
                if errno == EISDIR { throw FileError.isDirectory(path: name) }
                throw FileError.readFailed(path: name, reason: FileError.systemReason)
            }
            if count == 0 { reachedEnd = true }
            end += count
            return
        }
    }
}
