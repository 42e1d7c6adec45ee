import Foundation
import Testing

/// The README's library example: its `Package.swift` and `main.swift`, built as a separate
/// package that depends on TextClf (by path: the README's URL has a placeholder owner), and run
/// beside the quickstart's model.
@Suite("README library example")
struct LibraryExampleTests {
    @Test(.timeLimit(.minutes(10)))
    func readmeExampleBuildsAndRunsAsAnOutsidePackage() throws {
        let readme = try String(contentsOf: TestPaths.repository.appendingPathComponent("README.md"), encoding: .utf8)
        let library = try #require(readme.range(of: "## Library"))
        let manifest = try Self.swiftBlock(in: readme, after: library.upperBound)
        let source = try Self.swiftBlock(in: readme, after: manifest.end)
        let textAndData = try Self.swiftBlock(in: readme, after: source.end)

        let files = ScratchDirectory()
        // A link named like the repository, so the package identity is `textclf` as for the URL.
        try FileManager.default.createSymbolicLink(atPath: files.path("textclf"), withDestinationPath: TestPaths.repository.path)
        let urlLine = #".package(url: "https://github.com/example-owner/textclf", branch: "main")"#
        #expect(manifest.text.contains(urlLine))
        files.write("Package.swift", manifest.text.replacingOccurrences(of: urlLine, with: ".package(path: \"\(files.path("textclf"))\")"))
        files.write("Sources/Example/main.swift", source.text)
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
        #expect(lines == Self.promisedOutput(of: source.text), "the README's comments promise the printed lines")

        // The text-and-data example, in the same package and directory, reading the shipped corpora.
        try FileManager.default.createSymbolicLink(atPath: files.path("corpora"),
                                                   withDestinationPath: TestPaths.repository.appendingPathComponent("corpora").path)
        files.write("Sources/Example/main.swift", textAndData.text)
        let rebuild = try run("/usr/bin/env", ["swift", "build", "--package-path", files.url.path,
                                               "--scratch-path", files.path(".build")], in: files.url)
        #expect(rebuild.status == 0, "\(rebuild.output)")
        let second = try run(files.path(".build/debug/Example"), [], in: files.url)
        #expect(second.status == 0)
        #expect(second.output.split(separator: "\n").map(String.init) == Self.promisedOutput(of: textAndData.text),
                "the README's comments promise the printed lines:\n\(second.output)")
        #expect(FileManager.default.fileExists(atPath: files.path("words.txt")))
    }

    /// The text of the first ```swift block after `start`, and where the block ends.
    private static func swiftBlock(in readme: String, after start: String.Index) throws -> (text: String, end: String.Index) {
        let open = try #require(readme.range(of: "```swift\n", range: start..<readme.endIndex))
        let close = try #require(readme.range(of: "```", range: open.upperBound..<readme.endIndex))
        return (String(readme[open.upperBound..<close.lowerBound]), close.upperBound)
    }

    /// What the README says each `print` shows: the `// …` comment at the end of its line.
    private static func promisedOutput(of source: String) -> [String] {
        source.split(separator: "\n").filter { $0.contains("print(") }.compactMap { line in
            line.range(of: "// ", options: .backwards).map { String(line[$0.upperBound...]) }
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
