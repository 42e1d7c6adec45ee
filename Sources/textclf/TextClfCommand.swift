import ArgumentParser
import TextClf

@main
struct TextClfCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "textclf",
        abstract: "Train small neural text classifiers and classify text streams with them.",
        version: "textclf \(textclfVersion) (ICU \(icuVersion))",
        subcommands: []
    )
}
