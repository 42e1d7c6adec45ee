import ArgumentParser
import Foundation
import TextClf

extension AutotuneMetric: ExpressibleByArgument {
    public init?(argument: String) {
        guard let metric = try? AutotuneMetric(parsing: argument) else { return nil }
        self = metric
    }

    public var defaultValueDescription: String { name }
}

struct AutotuneCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "autotune",
        abstract: "Search the train options on validation data and write the best model.",
        discussion: """
            Each trial trains on --train and scores the kept epoch on the validation data. The \
            first trials are each architecture's defaults; later ones perturb the best so far, \
            by less and less as the budget runs out, as fastText's autotune does. Searched: \
            --arch, --optimizer (pool), --lr, --lr-schedule, --epochs, --dim, --hidden and \
            --pooling (rnn, lstm, gru), --dropout, --kernel-sizes (cnn), --word-ngrams (pool), \
            --minn/--maxn (not with --level char), --buckets and --min-count; the tokenizer \
            options are kept as given. One line per trial goes to standard error (a progress \
            bar too on a terminal). The best options are trained again and written to -o, and \
            the `textclf train` command that gives the same file is printed on standard output. \
            With --trials and --seed the search and the model are the same on every run.

            Examples:
              textclf autotune --level char --train corpora/contains_a/train.txt \\
                  --valid-split 0.1 --trials 4 --arch pool,cnn -o tuned.safetensors
              textclf autotune --train corpora/manpages_langid/train.tsv --lowercase \\
                  --valid-split 0.1 --duration 10 --metric macro-f1 --arch pool \\
                  --model-size 2M -o langid.safetensors
            """
    )

    @Option(help: "The training corpus.")
    var train: String

    @Option(help: "A validation corpus that trials are scored on.")
    var valid: String?

    @Option(help: "Hold out this share of the training corpus for validation.")
    var validSplit: Double?

    @OptionGroup var corpusFormat: CorpusFormatArguments

    @OptionGroup var tokenizer: TokenizerArguments

    @Option(help: "Start no trial after this many seconds (default 300); the final training comes after.")
    var duration: Double?

    @Option(help: "Run this many trials instead of --duration; with --seed the result is reproducible.")
    var trials: Int?

    @Option(help: "What to maximise: accuracy, macro-f1, f1:LABEL (one label's F1) or p@k:K (precision at K).")
    var metric: AutotuneMetric = .accuracy

    @Option(help: "The architectures to search, comma-separated, tried in this order first.")
    var arch = "pool,cnn,gru"

    @Option(help: "Keep to models whose int8-quantized file would fit in this size (K, M = 10³, 10⁶; KiB, MiB = 2¹⁰, 2²⁰).")
    var modelSize: String?

    @Option(help: "Seed of the search and of every trial.")
    var seed: UInt64 = 1

    @Option(help: "Threads (default: the number of cores). The model does not depend on it.")
    var threads: Int?

    @OptionGroup var messages: MessageArguments

    @Option(name: .shortAndLong, help: "The model file to write.")
    var output: String

    func validate() throws {
        func check(_ condition: Bool, _ message: String) throws {
            if !condition { throw ValidationError(message) }
        }
        try check(valid != nil || validSplit != nil, "autotune scores trials on validation data: give --valid FILE or --valid-split P.")
        try check(valid == nil || validSplit == nil, "--valid and --valid-split cannot be combined.")
        if let validSplit { try check(validSplit > 0 && validSplit < 1, "--valid-split must be between 0 and 1.") }
        try check(duration == nil || trials == nil, "--duration and --trials cannot be combined.")
        if let duration { try check(duration > 0 && duration.isFinite, "--duration must be a positive number of seconds.") }
        if let trials { try check(trials >= 1, "--trials must be at least 1.") }
        if let threads { try check(threads >= 1, "--threads must be at least 1.") }
        _ = try architectures
        if let modelSize { try check(Self.bytes(modelSize) != nil, "--model-size must be a positive size such as 500K, 10M, 512KiB or 2MiB, not '\(modelSize)'.") }
    }

    /// The architectures of `--arch`, in order.
    private var architectures: [ClassifierConfiguration.Architecture] {
        get throws {
            let names = arch.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            let known = ClassifierConfiguration.Architecture.allCases.map(\.rawValue).joined(separator: ", ")
            var result: [ClassifierConfiguration.Architecture] = []
            for name in names {
                guard let architecture = ClassifierConfiguration.Architecture(rawValue: name) else {
                    throw ValidationError("--arch: unknown architecture '\(name)' (known: \(known)).")
                }
                guard !result.contains(architecture) else { throw ValidationError("--arch lists \(name) twice.") }
                result.append(architecture)
            }
            return result
        }
    }

    /// A size with an optional K, M (10³, 10⁶), KiB or MiB (2¹⁰, 2²⁰) suffix, in bytes; nil
    /// when it is not one or not positive.
    static func bytes(_ text: String) -> Int? {
        let units: [(suffix: String, factor: Int)] = [("KiB", 1 << 10), ("MiB", 1 << 20), ("K", 1_000), ("M", 1_000_000), ("", 1)]
        for (suffix, factor) in units where text.hasSuffix(suffix) {
            guard let count = Int(text.dropLast(suffix.count)), count >= 1 else { return nil }
            let (bytes, overflow) = count.multipliedReportingOverflow(by: factor)
            return overflow ? nil : bytes
        }
        return nil
    }

    func run() throws {
        let url = { (path: String) in URL(fileURLWithPath: path) }
        let format = corpusFormat.inputFormat
        var job = AutotuneJob(train: .corpus(url(train), format: format),
                              budget: trials.map { .trials($0) } ?? .duration(seconds: duration ?? 300))
        job.valid = valid.map { .corpus(url($0), format: format) }
        job.validSplit = validSplit
        job.tokenizer = tokenizer.tokenizer
        job.metric = metric
        job.architectures = try architectures
        job.modelSize = modelSize.flatMap(Self.bytes)
        job.seed = seed
        job.threads = threads ?? ProcessInfo.processInfo.activeProcessorCount
        job.output = url(output)
        job.stopRequest = Interruption.stopRequestOnSignals()

        let display = AutotuneProgressDisplay(budget: job.budget, metric: metric, modelSize: job.modelSize, quiet: messages.quiet)
        let result: AutotuneJob.Result
        do {
            result = try job.run(warning: Diagnostics.warning, progress: display.show)
        } catch is CancellationError {
            display.clear()
            Diagnostics.write("textclf: interrupted before any trial finished; nothing was written")
            throw ExitCode(Interruption.exitStatus)
        } catch AutotuneError.unknownMetricLabel(let label, let labels) {
            // The labels are known only once the corpus is read, but the mistake is in the command line.
            Diagnostics.write("""
                Error: --metric f1:\(label): '\(label)' is not a label of the training data (\(labels.joined(separator: ", "))).
                Usage: textclf \(Self.usageString())
                  See 'textclf autotune --help' for more information.
                """)
            throw ExitCode(ExitStatus.usage)
        }
        display.finish(result, output: output)
        var command = (["textclf", "train"] + result.trainArguments!).map(Self.shellQuoted).joined(separator: " ")
        if let quantize = result.quantizeArguments {
            let model = Self.shellQuoted(output)
            command += " && " + (["textclf", "quantize", "-m", model, "-o", model] + quantize).joined(separator: " ")
        }
        print(command)
    }

    /// `word` as a shell reads it back: unchanged when it is plain, in single quotes otherwise.
    static func shellQuoted(_ word: String) -> String {
        let plain = !word.isEmpty && word.unicodeScalars.allSatisfy {
            CharacterSet.alphanumerics.contains($0) || "-_./,:@=+".unicodeScalars.contains($0)
        }
        return plain ? word : "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
