import ArgumentParser
import Foundation
import TextClf

struct InfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Describe a model file: architecture, sizes, labels, tokenizer and training.",
        discussion: """
            Examples:
              textclf info -m model.safetensors
              textclf info -m model.safetensors --json | python3 -m json.tool
            """
    )

    @Option(name: .shortAndLong, help: "The model file.")
    var model: String

    @Flag(help: "Print one JSON object instead of text.")
    var json = false

    func run() throws {
        let info = try ModelInfo(contentsOf: URL(fileURLWithPath: model))
        if let warning = info.icuWarning { Diagnostics.warning(warning) }
        let output = BufferedOutput.standardOutput()
        try output.write(json ? info.json() + "\n" : info.formattedText())
        try output.flush()
    }
}
