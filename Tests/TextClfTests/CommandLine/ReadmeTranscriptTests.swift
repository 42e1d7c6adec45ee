import Foundation
import Testing

/// Every ```console block of the README is a transcript: each `$ command` runs, in README order,
/// in one shell session that looks like the repository root, and must exit 0 and print
/// exactly the lines below it (standard error included, timings aside).
///
/// After an intended change of output, rewrite the blocks from real runs and review the
/// difference:
///
///     TEXTCLF_UPDATE_README=1 swift test --filter ReadmeTranscript
///     git diff README.md
@Suite("README transcripts")
struct ReadmeTranscriptTests {
    /// One `$ command` and the output the README shows for it.
    struct Step {
        var command: String
        var output: String
    }

    static let readme = TestPaths.repository.appendingPathComponent("README.md")

    @Test(.timeLimit(.minutes(10)))
    func everyConsoleBlockPrintsWhatTheReadmeShows() throws {
        let update = ProcessInfo.processInfo.environment["TEXTCLF_UPDATE_README"] == "1"
        var text = try String(contentsOf: Self.readme, encoding: .utf8)
        let shell = try ShellSession()
        let blocks = Self.consoleBlocks(in: text)
        #expect(blocks.count >= 8)
        var rewritten: [(Range<String.Index>, String)] = []
        for (range, steps) in blocks {
            var actual: [Step] = []
            for step in steps {
                let outcome = try shell.run(step.command, mergingStandardError: true)
                #expect(outcome.status == 0, "README: `\(step.command)` exits \(outcome.status): \(outcome.stdout)")
                actual.append(Step(command: step.command, output: outcome.stdout))
                if !update {
                    #expect(Self.withoutTimings(outcome.stdout) == Self.withoutTimings(step.output), """
                        README: `\(step.command)` prints other lines than the README shows; if the change is \
                        intended, rewrite the README's samples with TEXTCLF_UPDATE_README=1 swift test --filter ReadmeTranscript
                        \(outcome.stdout)
                        """)
                }
            }
            rewritten.append((range, Self.render(actual)))
        }
        if update {
            // From the end, so that the earlier ranges stay valid.
            for (range, body) in rewritten.reversed() { text.replaceSubrange(range, with: body) }
            try text.write(to: Self.readme, atomically: true, encoding: .utf8)
        }
    }

    /// The body of each ```console block (its range in `text`) as steps.
    static func consoleBlocks(in text: String) -> [(Range<String.Index>, [Step])] {
        var blocks: [(Range<String.Index>, [Step])] = []
        var searchFrom = text.startIndex
        while let open = text.range(of: "```console\n", range: searchFrom..<text.endIndex),
              let close = text.range(of: "```\n", range: open.upperBound..<text.endIndex) {
            let body = open.upperBound..<close.lowerBound
            var steps: [Step] = []
            var continuing = false
            for line in text[body].split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
                if continuing {
                    steps[steps.count - 1].command += "\n" + line
                } else if line.hasPrefix("$ ") {
                    steps.append(Step(command: String(line.dropFirst(2)), output: ""))
                } else {
                    steps[steps.count - 1].output += line + "\n"
                }
                continuing = line.hasSuffix("\\") && (continuing || line.hasPrefix("$ "))
            }
            blocks.append((body, steps))
            searchFrom = close.upperBound
        }
        return blocks
    }

    static func render(_ steps: [Step]) -> String {
        steps.map { "$ " + $0.command + "\n" + $0.output }.joined()
    }

    /// Training lines with their time and speed, which vary from run to run, blanked.
    static func withoutTimings(_ text: String) -> String {
        text.replacing(/[0-9.]+s  [0-9.]+[kM]? tok\/s/, with: "TIME")
    }
}
