import Foundation
import Testing
import TextClf

/// The `Examples/` package, built as the outside package it is (it depends on the repository by
/// path, so it reaches only the public API), and each example run with its tutorial settings:
/// every one must print the tutorial's result.
@Suite("examples reproduce the tutorials", .timeLimit(.minutes(20)))
struct ExamplesTests {
    /// One build for every test of the suite (a static constant is initialised once; tests that
    /// need it meanwhile wait for it).
    static let build = ExamplesBuild()

    @Test func polynomialFitRecoversTwoThreeAndFour() throws {
        let output = try Self.build.run("polynomial-fit")
        let last = try #require(output.split(separator: "\n").last.map(String.init))
        let match = try #require(try Regex(#"recovered y = ([-0-9.]+)x² \+ ([-0-9.]+)x \+ ([-0-9.]+)"#)
            .firstMatch(in: last), "last line: \(last)")
        let coefficients = (1...3).compactMap { match.output[$0].substring.flatMap { Double($0) } }
        #expect(coefficients.count == 3)
        for (found, truth) in zip(coefficients, [2.0, 3.0, 4.0]) {
            #expect(abs(found - truth) <= 0.05, "recovered \(coefficients), true 2, 3, 4")
        }
        let losses = output.split(separator: "\n").filter { $0.hasPrefix("epoch ") }
        #expect(!losses.isEmpty && losses.count < 5000, "stops once the loss is under 1e-5")
    }

    @Test func vectorRuleReaches95PercentAndItsWeightsReadBackAsPlainSafetensors() throws {
        let files = ScratchDirectory()
        let output = try Self.build.run("vector-rule", "--plot", files.path("curves.svg"),
                                        "--weights", files.path("rule.safetensors"))
        #expect(try percentage(after: "test accuracy ", in: output) >= 95)
        #expect(output.split(separator: "\n").filter { $0.hasPrefix("epoch ") }.count == 20)
        let weights = try Safetensors(contentsOf: URL(fileURLWithPath: files.path("rule.safetensors")))
        #expect(weights.tensors.mapValues(\.shape) == ["0.weight": [1, 5], "0.bias": [1]])
        try expectPlot(files.path("curves.svg"), curves: 3)
    }

    @Test func digitsHiddenLayerReaches95Percent() throws {
        let files = ScratchDirectory()
        let output = try Self.build.run("digits", "--plot", files.path("curves.svg"))
        #expect(try percentage(after: "hidden layer: test accuracy ", in: output) >= 95)
        #expect(try percentage(after: "softmax regression: test accuracy ", in: output) >= 90)
        #expect(output.contains("confusion of the hidden-layer model") && output.contains("worst-classified"))
        try expectPlot(files.path("curves.svg"), curves: 4)
    }

    @Test func rnnAndConvolutionMatchTheHandWrittenLoops() throws {
        let output = try Self.build.run("rnn-by-hand")
        for prefix in ["RNN largest difference ", "convolution largest difference "] {
            let line = try #require(output.split(separator: "\n").first { $0.hasPrefix(prefix) }, "no line \(prefix)")
            let difference = try #require(Double(line.dropFirst(prefix.count)), "\(line)")
            #expect(difference <= 1e-6, "\(line)")
        }
    }

    @Test func containsCharReaches99PercentByHandAndThroughTrainingJob() throws {
        let output = try Self.build.run("contains-char")
        #expect(try percentage(after: "layers: test accuracy ", in: output) >= 99)
        #expect(try percentage(after: "TrainingJob + Classifier: test accuracy ", in: output) >= 99)
    }

    /// The number that ends the line starting with `prefix`, such as `96.30%`.
    private func percentage(after prefix: String, in output: String,
                            sourceLocation: SourceLocation = #_sourceLocation) throws -> Double {
        let line = try #require(output.split(separator: "\n").first { $0.hasPrefix(prefix) },
                                "no line starting '\(prefix)' in:\n\(output)", sourceLocation: sourceLocation)
        return try #require(Double(line.dropFirst(prefix.count).dropLast()), "\(line)", sourceLocation: sourceLocation)
    }

    private func expectPlot(_ path: String, curves: Int, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let svg = try String(contentsOfFile: path, encoding: .utf8)
        #expect(svg.hasPrefix("<svg") && svg.hasSuffix("</svg>\n"), sourceLocation: sourceLocation)
        #expect(svg.components(separatedBy: "<polyline").count - 1 == curves, sourceLocation: sourceLocation)
    }
}

/// `swift build --package-path Examples` (debug: the examples are small, and a debug build of
/// the library takes less time than an optimised one), then runs of the built executables.
final class ExamplesBuild: Sendable {
    let package = TestPaths.repository.appendingPathComponent("Examples")
    let status: Int32
    let log: String

    init() {
        (status, log) = Self.execute(URL(fileURLWithPath: "/usr/bin/env"), ["swift", "build", "--package-path", package.path])
    }

    /// The standard output and error of one example; a failed build or a non-zero exit is a
    /// test failure that shows the build log or the example's output.
    func run(_ example: String, _ arguments: String..., sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        try #require(status == 0, "building the Examples package failed (swift build --package-path Examples):\n\(log)",
                     sourceLocation: sourceLocation)
        let binary = package.appendingPathComponent(".build/debug/\(example)")
        let (exit, output) = Self.execute(binary, arguments)
        try #require(exit == 0, "\(example) exited with \(exit):\n\(output)", sourceLocation: sourceLocation)
        return output
    }

    private static func execute(_ executable: URL, _ arguments: [String]) -> (Int32, String) {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = TestPaths.repository
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            return (-1, "could not start \(executable.path): \(error)")
        }
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, output)
    }
}
