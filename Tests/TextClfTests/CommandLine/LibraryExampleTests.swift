import Foundation
import Testing

/// The README's library example, compiled as a separate package that depends on TextClf by
/// path (as users' packages do) and run beside the quickstart's model.
@Suite("README library example")
struct LibraryExampleTests {
    @Test(.timeLimit(.minutes(10)))
    func readmeExampleBuildsAndRunsAsAnOutsidePackage() throws {
        let readme = try String(contentsOf: TestPaths.repository.appendingPathComponent("README.md"), encoding: .utf8)
        let library = try #require(readme.range(of: "## Library"))
        let start = try #require(readme.range(of: "```swift\n", range: library.upperBound..<readme.endIndex))
        let end = try #require(readme.range(of: "```", range: start.upperBound..<readme.endIndex))
        let source = String(readme[start.upperBound..<end.lowerBound])

        let files = ScratchDirectory()
        files.write("Package.swift", """
            // swift-tools-version:6.1
            import PackageDescription
            let package = Package(
                name: "Example",
                dependencies: [.package(path: "\(TestPaths.repository.path)")],
                targets: [.executableTarget(name: "Example", dependencies: [.product(name: "TextClf", package: "main")])]
            )
            """.replacingOccurrences(of: "package: \"main\"", with: "package: \"\(TestPaths.repository.lastPathComponent)\""))
        files.write("Sources/Example/main.swift", source)
        // The quickstart's training command, so the example sees the model the README describes.
        let train = try CommandLineRun(["train", "--arch", "rnn", "--level", "char", "--train", "corpora/contains_a/train.txt",
                                        "--valid-split", "0.1", "--epochs", "5", "--quiet", "-o", files.path("contains.safetensors")])
        #expect(train.status == 0, "\(train.stderr)")

        let build = try run("/usr/bin/env", ["swift", "build", "--package-path", files.url.path,
                                             "--scratch-path", files.path(".build")], in: files.url)
        #expect(build.status == 0, "\(build.output)")
        let example = try run(files.path(".build/debug/Example"), [], in: files.url)
        #expect(example.status == 0)
        let lines = example.output.split(separator: "\n").map(String.init)
        #expect(lines == Self.promisedOutput(of: source), "the README's comments promise the printed lines")
    }

    /// What the README says each `print` shows: the `// …` comment at the end of its line.
    private static func promisedOutput(of source: String) -> [String] {
        source.split(separator: "\n").filter { $0.hasPrefix("print(") }.compactMap { line in
            line.range(of: "// ").map { String(line[$0.upperBound...]) }
        }
    }

    private func run(_ executable: String, _ arguments: [String], in directory: URL) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = directory
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, output)
    }
}
