import Foundation
import Testing

/// Help is part of the contract: whole texts are compared with committed files, and every
/// example in them runs as written and does what it says.
///
/// After an intended change to options or help (a new option, a reworded line), regenerate the
/// expected files and review the difference:
///
///     TEXTCLF_UPDATE_HELP=1 swift test --filter Help
///     git diff Tests/Fixtures/help
@Suite("Help texts and their examples")
struct HelpTests {
    /// The commands whose help is checked, the top level first: the examples of later commands
    /// use the models that earlier ones train.
    static let commands = ["", "generate", "build-vocab", "train", "autotune", "test", "classify", "info",
                           "quantize", "export-vectors"]

    static func expectedFile(_ command: String) -> URL {
        TestPaths.fixtures.appendingPathComponent("help/\(command.isEmpty ? "textclf" : command).txt")
    }

    @Test func helpTextsMatchTheCommittedFiles() throws {
        let update = ProcessInfo.processInfo.environment["TEXTCLF_UPDATE_HELP"] == "1"
        let shell = try ShellSession()
        for command in Self.commands {
            // The shell session's terminal claims 120 columns and CommandLineRun's 80: help must
            // not depend on it.
            let wide = try shell.run("textclf \(command) --help")
            let narrow = try CommandLineRun(command.isEmpty ? ["--help"] : [command, "--help"])
            #expect(wide.status == 0 && narrow.status == 0)
            #expect(wide.stdout == narrow.stdout, "textclf \(command) --help depends on the terminal width")
            let file = Self.expectedFile(command)
            if update {
                try wide.stdout.write(to: file, atomically: true, encoding: .utf8)
                continue
            }
            let expected = try String(contentsOf: file, encoding: .utf8)
            #expect(wide.stdout == expected, """
                textclf \(command) --help differs from \(file.path); if the change is intended, \
                regenerate the file with TEXTCLF_UPDATE_HELP=1 swift test --filter Help
                """)
        }
    }

    @Test func everyCommandTakesQuiet() throws {
        for command in Self.commands.dropFirst() {
            let help = try CommandLineRun([command, "--help"]).stdout
            #expect(help.contains("\n  -q, --quiet "), "textclf \(command) has no --quiet")
        }
        let quiet = try CommandLineRun(["info", "--quiet", "-m", "missing.safetensors"])
        #expect(quiet.status == 1, "--quiet is accepted, so the missing model is the error: \(quiet.stderr)")
    }

    @Test(.timeLimit(.minutes(10)))
    func everyHelpExampleRunsAsWrittenAndDoesWhatItSays() throws {
        let shell = try ShellSession()
        var count = 0
        for command in Self.commands {
            let help = try shell.run("textclf \(command) --help").stdout
            let examples = Self.examples(in: help)
            #expect(!examples.isEmpty, "textclf \(command) --help shows no example")
            for example in examples {
                count += 1
                let outcome = try shell.run(example)
                #expect(outcome.status == 0, "\(example)\n\(outcome.stderr)")
                #expect(!outcome.stderr.contains("error"), "\(example)\n\(outcome.stderr)")
                #expect(!(outcome.stdout + outcome.stderr).isEmpty, "\(example) shows nothing")
                for accuracy in Self.accuracies(in: outcome.stdout + outcome.stderr) {
                    #expect(accuracy >= 0.9, "\(example) reaches only \(accuracy)")
                }
            }
        }
        #expect(count >= 15)
    }

    /// The command lines under `Examples:`, each line of an example (a line ending in `\` goes
    /// on) indented by two spaces and short enough for 80 columns, so it can be pasted.
    static func examples(in help: String, sourceLocation: SourceLocation = #_sourceLocation) -> [String] {
        let lines = help.split(separator: "\n", omittingEmptySubsequences: false)
        guard let start = lines.firstIndex(of: "Examples:") else { return [] }
        var examples: [String] = []
        var continuing = false
        for line in lines[(start + 1)...] {
            if line.isEmpty { break }
            #expect(line.hasPrefix("  ") && line.count < 80, "an example line was wrapped: \(line)", sourceLocation: sourceLocation)
            let text = String(line.dropFirst(2))
            if continuing { examples[examples.count - 1] += "\n" + text } else { examples.append(text) }
            continuing = line.hasSuffix(" \\")
        }
        return examples
    }

    /// Held-out accuracies an example prints: the last epoch's validation accuracy of a training
    /// run, and `test`'s accuracy as text or JSON, as fractions.
    static func accuracies(in output: String) -> [Double] {
        var found: [Double] = []
        if let last = output.matches(of: /valid loss [0-9.]+ acc ([0-9.]+)%/).last { found.append(Double(last.1)! / 100) }
        for match in output.matches(of: /(?m)^accuracy +([0-9.]+)%/) { found.append(Double(match.1)! / 100) }
        for match in output.matches(of: /"accuracy":([0-9.]+)/) { found.append(Double(match.1)!) }
        return found
    }
}
