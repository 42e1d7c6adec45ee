import ArgumentParser
import Foundation
@_spi(Internals) import TextClf

@main
struct TextClfCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "textclf",
        abstract: "Train small neural text classifiers and classify text streams with them.",
        discussion: """
            The workflow: train a model on a labeled corpus, test it on held-out data, then \
            classify new text. From the repository root, with the corpora shipped in corpora/:

            Examples:
              textclf train --arch rnn --level char --train corpora/contains_a/train.txt \\
                  --valid-split 0.1 --epochs 5 -o contains.safetensors
              textclf test -m contains.safetensors corpora/contains_a/test.txt --worst 2
              printf 'banana\\nxyz\\n' | textclf classify -m contains.safetensors --k 2
              textclf train --help

            Every command has --help with examples and --quiet. Exit status: 0 on success, 1 \
            on a runtime error (one line `textclf: error: ...`), 2 on a usage error (`Error: \
            ...` and the usage).
            """,
        version: "textclf \(Versions.textclf) (ICU \(Versions.icu))",
        subcommands: [GenerateCommand.self, BuildVocabCommand.self, TrainCommand.self, AutotuneCommand.self,
                      TestCommand.self, ClassifyCommand.self, InfoCommand.self, QuantizeCommand.self,
                      ExportVectorsCommand.self]
    )

    /// The width help is laid out for (swift-argument-parser otherwise takes the terminal's).
    static let helpColumns = 80

    /// Parses and runs a command with textclf's exit codes: 2 for a usage error (where
    /// swift-argument-parser would exit 64), 1 with one `textclf: error:` line for a runtime
    /// error, 0 on success.
    static func main() {
        // A reader that leaves (`| head`) shows up as an EPIPE write error, handled below.
        signal(SIGPIPE, SIG_IGN)
        ProcessMemory.keepFreedMemoryForReuse()
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
                // --help and --version. Help is laid out for 80 columns whatever the terminal,
                // so the examples, each under 80 columns, never wrap and stay copyable.
                print(fullMessage(for: error, columns: helpColumns))
                Foundation.exit(0)
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
