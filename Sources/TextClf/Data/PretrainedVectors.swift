import Foundation

/// Word vectors in the word2vec / fastText `.vec` text format: a first line `count dim`, then
/// one `token v₁ … v_dim` line per token, separated by spaces.
package enum PretrainedVectors {
    /// Copies into `table` ([V, D] row-major, D = `dimension`) the vector of every vocabulary
    /// token that the file lists; other rows, and the padding row, keep their values.
    /// - Returns: how many ordinary vocabulary tokens (not `<pad>`, `<unk>`) the file covered.
    /// - Throws: `PretrainedVectorsError` naming the file and line of a malformed line or of a
    ///   dimension other than `dimension`; `FileError` when the file cannot be read.
    package static func load(path: String, into table: inout [Float], vocabulary: Vocabulary,
                            dimension: Int) throws -> Int {
        let reader = try LineReader(path: path)
        guard let header = try reader.nextString() else { throw PretrainedVectorsError.empty(path) }
        let headerFields = header.split(separator: " ")
        guard headerFields.count == 2, Int(headerFields[0]) != nil, let fileDimension = Int(headerFields[1]) else {
            throw PretrainedVectorsError.malformed(path, line: 1, reason: "the first line must be `count dimension`")
        }
        guard fileDimension == dimension else {
            throw PretrainedVectorsError.dimension(path, found: fileDimension, expected: dimension)
        }
        var covered = Set<Int32>()
        while let line = try reader.nextString() {
            var fields = line.split(separator: " ", omittingEmptySubsequences: true)
            if fields.isEmpty { continue }
            guard fields.count == dimension + 1 else {
                throw PretrainedVectorsError.malformed(
                    path, line: reader.lineNumber, reason: "expected a token and \(dimension) numbers, found \(fields.count - 1) numbers")
            }
            let token = String(fields.removeFirst())
            let id = vocabulary.id(for: token)
            guard id >= 2, !covered.contains(id) else { continue }
            for (j, field) in fields.enumerated() {
                guard let value = Float(field), value.isFinite else {
                    throw PretrainedVectorsError.malformed(path, line: reader.lineNumber, reason: "'\(field)' is not a finite number")
                }
                table[Int(id) * dimension + j] = value
            }
            covered.insert(id)
        }
        return covered.count
    }

    /// The dimension a `.vec` file declares on its first line.
    package static func dimension(of path: String) throws -> Int {
        let reader = try LineReader(path: path)
        guard let header = try reader.nextString() else { throw PretrainedVectorsError.empty(path) }
        let fields = header.split(separator: " ")
        guard fields.count == 2, Int(fields[0]) != nil, let dimension = Int(fields[1]), dimension > 0 else {
            throw PretrainedVectorsError.malformed(path, line: 1, reason: "the first line must be `count dimension`")
        }
        return dimension
    }
}

/// Why a `.vec` file cannot be used.
package enum PretrainedVectorsError: Error, Equatable, LocalizedError {
    case empty(String)
    case malformed(String, line: Int, reason: String)
    case dimension(String, found: Int, expected: Int)

    package var errorDescription: String? {
        switch self {
        case .empty(let file):
            return "\(file): the vectors file is empty"
        case .malformed(let file, let line, let reason):
            return "\(file):\(line): \(reason)"
        case .dimension(let file, let found, let expected):
            return "\(file):1: the vectors have dimension \(found), but the model's embedding has \(expected); pass --dim \(found)"
        }
    }
}
