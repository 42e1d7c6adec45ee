import ArgumentParser
import Foundation
import TextClf

@main
struct TextClfCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "textclf",
        abstract: "Train small neural text classifiers and classify text streams with them.",
        version: "textclf \(textclfVersion) (ICU \(icuVersion))",
        subcommands: [BuildVocabCommand.self]
    )

    /// Parses and runs a command with textclf's exit codes: 2 for a usage error (where
    /// swift-argument-parser would exit 64), 1 with one `textclf: error:` line for a runtime
    /// error, 0 on success.
    static func main() {
        var command: ParsableCommand
        do {
            command = try parseAsRoot()
        } catch {
            if exitCode(for: error) == .validationFailure {
                Diagnostics.write(fullMessage(for: error))
                Foundation.exit(ExitStatus.usage)
            }
            exit(withError: error)  // help, version: printed, with their own exit codes
        }
        do {
            try command.run()
        } catch let code as ExitCode {
            Foundation.exit(code.rawValue)
        } catch {
            Diagnostics.error(error)
            Foundation.exit(ExitStatus.failure)
        }
    }
}
