import Foundation

/// Why a file could not be opened, read or written.
public enum FileError: Error, Equatable, LocalizedError {
    /// The file is missing or unreadable; `reason` is the system's.
    case cannotOpen(path: String, reason: String)
    /// A directory where a file is expected.
    case isDirectory(path: String)
    /// A file where a directory is expected (a labeled-directory corpus).
    case notDirectory(path: String)
    /// Reading failed after the file was opened.
    case readFailed(path: String, reason: String)
    /// The destination or its temporary file cannot be created or written.
    case writeFailed(path: String, reason: String)
    /// The reader of a pipe went away (as `| head` does): not a failure of ours.
    case closedPipe(path: String)

    /// The message for the user, naming the path.
    public var errorDescription: String? {
        switch self {
        case let .cannotOpen(path, reason): return "cannot open \(path): \(reason)"
        case let .isDirectory(path): return "\(path) is a directory, expected a file"
        case let .notDirectory(path): return "\(path) is not a directory"
        case let .readFailed(path, reason): return "cannot read \(path): \(reason)"
        case let .writeFailed(path, reason): return "cannot write \(path): \(reason)"
        case let .closedPipe(path): return "\(path) was closed by its reader"
        }
    }

    /// What went wrong, without the path: the system's reason where there is one.
    var reason: String {
        switch self {
        case let .cannotOpen(_, reason), let .readFailed(_, reason), let .writeFailed(_, reason): return reason
        case .isDirectory: return "Is a directory"
        case .notDirectory: return "Not a directory"
        case .closedPipe: return "Broken pipe"
        }
    }

    /// The C library's description of the current `errno`.
    static var systemReason: String { String(cString: strerror(errno)) }
}
