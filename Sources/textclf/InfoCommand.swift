import ArgumentParser
import Foundation
import TextClf

struct InfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Describe a model file: architecture, sizes, labels, tokenizer and training.",
        discussion: """
            Prints the architecture, sizes, parameter count, labels, vocabulary, tokenizer, ICU \
            version, tensors and the training summary; --json prints one object. The examples \
            describe the model trained by the example of `textclf --help`.

            Examples:
              textclf info -m contains.safetensors
              textclf info -m contains.safetensors --json | python3 -m json.tool
            """
    )

    @Option(name: .shortAndLong, help: "The model file.")
    var model: String

    @Flag(help: "Print one JSON object instead of text.")
    var json = false

    @OptionGroup var messages: MessageArguments

    func run() throws {
        let info = try ModelInfo(contentsOf: URL(fileURLWithPath: model))
        if let warning = info.icuWarning { Diagnostics.warning(warning) }
        let output = BufferedOutput.standardOutput()
        try output.write(json ? info.json() + "\n" : info.formattedText())
        try output.flush()
    }
}
