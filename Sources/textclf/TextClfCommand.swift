import ArgumentParser
import Foundation
import TextClf

@main
struct TextClfCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "textclf",
        abstract: "Train small neural text classifiers and classify text streams with them.",
        discussion: """
            Exit status: 0 on success, 1 on a runtime error (bad data, I/O), 2 on a usage error.

            Examples:
              textclf build-vocab --lowercase -o words.txt corpora/manpages_langid/train.tsv
              textclf build-vocab --help
            """,
        version: "textclf \(textclfVersion) (ICU \(icuVersion))",
        subcommands: [GenerateCommand.self, BuildVocabCommand.self, TrainCommand.self, TestCommand.self,
                      ClassifyCommand.self, InfoCommand.self]
    )

    /// Parses and runs a command with textclf's exit codes: 2 for a usage error (where
    /// swift-argument-parser would exit 64), 1 with one `textclf: error:` line for a runtime
    /// error, 0 on success.
    static func main() {
        // A reader that leaves (`| head`) shows up as an EPIPE write error, handled below.
        signal(SIGPIPE, SIG_IGN)
        keepFreedMemoryForReuse()
        do {
            var command = try parseAsRoot(NegativeNumberArguments.joined(Array(CommandLine.arguments.dropFirst())))
            try Tokenizer.checkICUData()
            try command.run()
        } catch {
            switch exitCode(for: error) {
            case .validationFailure:
                Diagnostics.write(fullMessage(for: error))
                Foundation.exit(ExitStatus.usage)
            case .success:
                exit(withError: error)  // --help and --version print and exit 0
            default:
                if case FileError.closedPipe = error { Foundation.exit(0) }
                if let code = error as? ExitCode { Foundation.exit(code.rawValue) }
                let localized = (error as? LocalizedError)?.errorDescription
                Diagnostics.error(localized ?? fullMessage(for: error))
                Foundation.exit(ExitStatus.failure)
            }
        }
    }
}
