import ArgumentParser
import Foundation
import TextClf

struct QuantizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quantize",
        abstract: "Shrink a model: int8 weights with per-row scales, optionally fewer embedding rows.",
        discussion: """
            Every weight matrix becomes int8 with one float scale per row (about 4× smaller); \
            biases stay float. --cutoff N keeps only the N embedding rows of largest norm \
            (<pad> and <unk> always): vocabulary tokens whose rows go then read as <unk>. \
            --retrain fine-tunes the cut model on --train for --epochs (default: the epochs \
            the model was trained for) with its recorded training options, before quantizing. \
            classify, test, info and the library read the result like any model. Prints the \
            sizes before and after. The examples shrink the model trained by the example of \
            `textclf --help`.

            Examples:
              textclf quantize -m contains.safetensors -o contains-int8.safetensors
              textclf quantize -m contains.safetensors -o contains-small.safetensors \\
                  --cutoff 20 --retrain --train corpora/contains_a/train.txt --epochs 2
              textclf test -m contains-small.safetensors corpora/contains_a/test.txt
            """
    )

    @Option(name: .shortAndLong, help: "The float model file.")
    var model: String

    @Option(name: .shortAndLong, help: "Where to write the quantized model.")
    var output: String

    @Option(help: "Keep this many embedding rows, those of largest norm (at least 2, at most the rows there are).")
    var cutoff: Int?

    @Flag(help: "Fine-tune the cut model on --train before quantizing.")
    var retrain = false

    @Option(help: "The labeled corpus to retrain on (with --retrain).")
    var train: String?

    @OptionGroup var corpusFormat: CorpusFormatArguments

    @Option(help: "Epochs of retraining (default: the model's recorded epochs).")
    var epochs: Int?

    @Option(help: "Threads for retraining (default: the number of cores). The model does not depend on it.")
    var threads: Int?

    @OptionGroup var messages: MessageArguments

    func validate() throws {
        if let cutoff { guard cutoff >= 2 else { throw ValidationError("--cutoff must be at least 2 (<pad> and <unk> stay).") } }
        guard !retrain || train != nil else { throw ValidationError("--retrain needs --train FILE.") }
        guard train == nil || retrain else { throw ValidationError("--train is only used with --retrain.") }
        guard epochs == nil || retrain else { throw ValidationError("--epochs is only used with --retrain.") }
        if let epochs { guard epochs >= 1 else { throw ValidationError("--epochs must be at least 1.") } }
        if let threads { guard threads >= 1 else { throw ValidationError("--threads must be at least 1.") } }
    }

    func run() throws {
        let modelURL = URL(fileURLWithPath: model)
        let file = try ModelFile(contentsOf: modelURL)
        let inputSize = file.serialized().count
        if let cutoff, let rows = file.tensors["embedding.weight"]?.shape.first, cutoff > rows {
            throw ValidationError("--cutoff \(cutoff) is more than the \(rows) embedding rows of \(model).")
        }
        try AtomicFileWriter.checkWritable(output)
        var source = file
        var cutoff = self.cutoff
        if retrain, let train {
            source = try Retraining.fineTune(file, name: model, cutoff: cutoff,
                                             train: .corpus(URL(fileURLWithPath: train), format: corpusFormat.inputFormat),
                                             epochs: epochs, threads: threads ?? ProcessInfo.processInfo.activeProcessorCount,
                                             progress: { if !messages.quiet { Diagnostics.write($0) } })
            cutoff = nil
        }
        let quantized = try Quantization.quantize(source, name: model, cutoff: cutoff)
        let outputSize = try quantized.write(to: URL(fileURLWithPath: output))
        if !messages.quiet {
            Diagnostics.write(String(format: "%@: %d bytes → %@: %d bytes (%.2f× smaller)",
                                     model, inputSize, output, outputSize, Double(inputSize) / Double(outputSize)))
        }
    }
}
