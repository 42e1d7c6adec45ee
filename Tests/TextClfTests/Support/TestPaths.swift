import Foundation

/// Where tests find the repository, its fixtures, the shared corpora and the built CLI.
enum TestPaths {
    /// The repository root, found from this file's path so tests run from any directory.
    static let repository: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // Support
        .deletingLastPathComponent()  // TextClfTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()

    /// Committed PyTorch fixtures.
    static let fixtures = repository.appendingPathComponent("Tests/Fixtures")

    /// The corpora beside the repository (`../shared/corpora`), which are never copied into it.
    static let sharedCorpora = repository.deletingLastPathComponent().appendingPathComponent("shared/corpora")

    /// The release build of the CLI, which the README's test command builds before `swift test`,
    /// so that end-to-end tests run at the speed users see.
    static let cli = repository.appendingPathComponent(".build/release/textclf")
}
