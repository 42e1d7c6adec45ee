import ArgumentParser
import Foundation
@_spi(Internals) import TextClf

struct ExportVectorsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export-vectors",
        abstract: "Write a model's token vectors as a .vec file.",
        discussion: """
            Writes the word2vec/fastText .vec text format (first line `count dim`), which \
            `train --pretrained-vectors` reads: the vector of every vocabulary token but <pad> \
            and <unk>, or with --words of each word listed (one per line, taken as spelled). A \
            vector is the token's row averaged with its subword rows, as fastText's \
            print-word-vectors composes it; an unknown word gets the mean of its subword rows, \
            or the <unk> row when the model has no subwords (or the word none).

            Examples:
              textclf export-vectors -m contains.safetensors -o contains.vec
              printf 'banana\\nbananna\\n' | textclf export-vectors -m contains.safetensors \\
                  --words /dev/stdin
            """
    )

    @Option(name: .shortAndLong, help: "The model file.")
    var model: String

    @Option(name: .shortAndLong, help: "The .vec file to write (default: standard output).")
    var output: String?

    @Option(help: "Write the vectors of the words in this file, one per line, instead of the vocabulary's.")
    var words: String?

    @OptionGroup var messages: MessageArguments

    func run() throws {
        let classifier = try Classifier(contentsOf: URL(fileURLWithPath: model))
        if let warning = classifier.icuWarning { Diagnostics.warning(warning) }
        let list = try words.map(Self.readWords)
        let count: Int
        if let output {
            count = try classifier.writeVectors(to: URL(fileURLWithPath: output), words: list)
        } else {
            count = try classifier.writeVectors(words: list, to: BufferedOutput.standardOutput())
        }
        if !messages.quiet, let output { Diagnostics.write("wrote \(count) vectors to \(output)") }
    }

    /// The non-empty lines of `path`.
    static func readWords(_ path: String) throws -> [String] {
        let reader = try LineReader(path: path)
        var words: [String] = []
        while let line = try reader.nextString() {
            if !line.isEmpty { words.append(line) }
        }
        return words
    }
}
