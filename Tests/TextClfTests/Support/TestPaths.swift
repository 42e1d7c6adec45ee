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
    /// - Throws: ``MissingReleaseBuild`` when it has not been built, which says how to build it.
    static var cli: URL {
        get throws {
            let binary = repository.appendingPathComponent(".build/release/textclf")
            guard FileManager.default.isExecutableFile(atPath: binary.path) else { throw MissingReleaseBuild(path: binary.path) }
            return binary
        }
    }
}

/// The end-to-end tests drive the release binary, which `swift test` does not build.
struct MissingReleaseBuild: Error, CustomStringConvertible {
    let path: String
    var description: String {
        "\(path) does not exist: build the release binary first, "
            + "with `swift build -c release --product textclf && swift test`"
    }
}
