import Foundation

/// A labeled directory: one sub-directory per label, one text file per example. Labels and
/// files are visited in byte order of their names; hidden entries and top-level files (a
/// README, say) are skipped.
final class DirectoryCorpus {
    private let labels: [(name: String, path: String)]
    private var labelIndex = 0
    private var files: [String] = []
    private var fileIndex = 0
    private(set) var replacements = 0

    init(path: String) throws {
        var status = stat()
        guard stat(path, &status) == 0 else { throw FileError.cannotOpen(path: path, reason: FileError.systemReason) }
        guard status.st_mode & S_IFMT == S_IFDIR else { throw FileError.notDirectory(path: path) }
        labels = try Self.entries(of: path).filter { $0.isDirectory }.map { ($0.name, $0.path) }
    }

    /// The next example and the file it came from.
    func next() throws -> (LabeledExample, String)? {
        while fileIndex == files.count {
            guard labelIndex < labels.count else { return nil }
            files = try Self.entries(of: labels[labelIndex].path).filter { !$0.isDirectory }.map(\.path)
            fileIndex = 0
            labelIndex += 1
        }
        let file = files[fileIndex]
        fileIndex += 1
        let reader = try LineReader(path: file)
        var lines: [String] = []
        while let line = try reader.nextString() { lines.append(line) }
        replacements += reader.replacements
        // Line endings are normalized to \n and trailing newlines dropped, as for a line.
        while lines.last?.isEmpty == true { lines.removeLast() }
        let example = LabeledExample(text: lines.joined(separator: "\n"), labels: [labels[labelIndex - 1].name], line: 1)
        return (example, file)
    }

    private static func entries(of directory: String) throws -> [(name: String, path: String, isDirectory: Bool)] {
        guard let handle = opendir(directory) else {
            throw FileError.readFailed(path: directory, reason: FileError.systemReason)
        }
        defer { closedir(handle) }
        var names: [String] = []
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.filter { !$0.hasPrefix(".") }
            .sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            .map { name in
                let path = directory.hasSuffix("/") ? directory + name : directory + "/" + name
                var isDirectory: ObjCBool = false
                _ = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
                return (name, path, isDirectory.boolValue)
            }
    }
}
