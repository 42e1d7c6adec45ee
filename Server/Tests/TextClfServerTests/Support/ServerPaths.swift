import Foundation

/// Files the server tests use, found from this file's path so tests run from any directory.
enum ServerPaths {
    /// The repository root (the TextClf package), which holds the Server package.
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // Support
        .deletingLastPathComponent()  // TextClfServerTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // Server
        .deletingLastPathComponent()

    /// Small trained model files committed with the library's tests.
    static func model(_ name: String) -> URL {
        repository.appendingPathComponent("Tests/Fixtures/models/\(name).safetensors")
    }

    /// The release `textclf` CLI, which the README's test command builds first: the server's
    /// answers are checked against its `classify`.
    static let cli = repository.appendingPathComponent(".build/release/textclf")

    /// The `textclf-server` executable built beside this test bundle.
    static let server: URL = {
        let beside = Bundle.main.bundleURL.appendingPathComponent("textclf-server")
        if FileManager.default.isExecutableFile(atPath: beside.path) { return beside }
        return Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("textclf-server")
    }()

    /// Texts for the binary `contains a` fixture models: the test corpus without its labels.
    static func containsATexts() throws -> [String] {
        let text = try String(contentsOf: repository.appendingPathComponent("corpora/contains_a/test.txt"), encoding: .utf8)
        return text.split(separator: "\n").map { String($0.split(separator: " ", maxSplits: 1).last ?? "") }
    }

    /// Texts for the language-identification fixture models: the manpages test sentences.
    static func manpageTexts() throws -> [String] {
        let text = try String(contentsOf: repository.appendingPathComponent("corpora/manpages_langid/test.tsv"), encoding: .utf8)
        return text.split(separator: "\n").map { String($0.split(separator: "\t", maxSplits: 1).last ?? "") }
    }

    /// A new empty directory under the system's temporary directory.
    static func scratchDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("textclf-server-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
