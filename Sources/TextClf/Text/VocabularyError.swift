import Foundation

/// Why a vocabulary could not be built, read or used.
public enum VocabularyError: Error, Equatable, LocalizedError {
    /// A line of a vocabulary file could not be read.
    case malformedLine(file: String, line: Int, reason: String)
    /// The file's header names a format version this build does not read.
    case unsupportedVersion(file: String, found: String, supported: Int)
    /// A token appears twice.
    case duplicateToken(String)
    /// A token is the empty string.
    case emptyToken

    /// The message for the user, naming the file (and line).
    public var errorDescription: String? {
        switch self {
        case let .malformedLine(file, line, reason):
            return "\(file):\(line): \(reason)"
        case let .unsupportedVersion(file, found, supported):
            return "\(file): vocabulary format version \(found) is not supported "
                + "(this textclf reads version \(supported)); rebuild it with `textclf build-vocab`"
        case let .duplicateToken(token):
            return "token \(TokenEscaping.escape(token)) appears twice in the vocabulary"
        case .emptyToken:
            return "a vocabulary token is empty"
        }
    }
}
