import ArgumentParser
import Foundation
import TextClf

extension ClassifierConfiguration.Architecture: ExpressibleByArgument {}
extension ClassifierConfiguration.Pooling: ExpressibleByArgument {}
extension TrainingJob.LossChoice: ExpressibleByArgument {}
extension TrainingJob.ClassWeighting: ExpressibleByArgument {}
extension TrainingOptions.OptimizerKind: ExpressibleByArgument {}
extension TrainingOptions.Schedule: ExpressibleByArgument {}

struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a classifier on a labeled corpus and write the model file.",
        discussion: """
            The network is Embedding → (nothing | RNN | LSTM | GRU | Conv1d bank) → pooling → \
            Linear, trained with minibatches grouped by length. With --valid or --valid-split the \
            epoch of lowest validation loss is kept, otherwise the last. Progress goes to standard \
            error: a live bar on a terminal, one line per epoch otherwise. The same data, options \
            and --seed give the same model file for any --threads.

            Examples:
              textclf train --arch pool --level char --train corpora/contains_a/train.txt \\
                  --valid-split 0.1 -o pool.safetensors
              textclf train --arch cnn --vocab vocab/manpages_word.txt \\
                  --train corpora/manpages_langid/train.tsv --valid-split 0.1 \\
                  --plot curves.svg -o langid.safetensors
            """
    )

    @Option(help: "Architecture between the embedding and the pooling.")
    var arch: ClassifierConfiguration.Architecture

    @Option(help: "The training corpus.")
    var train: String

    @Option(help: "A validation corpus.")
    var valid: String?

    @Option(help: "Hold out this share of the training corpus for validation.")
    var validSplit: Double?

    @OptionGroup var corpusFormat: CorpusFormatArguments

    @Option(help: "A vocabulary file from build-vocab; it also fixes the tokenizer options.")
    var vocab: String?

    @OptionGroup var tokenizer: TokenizerArguments

    @Option(help: "Without --vocab: keep tokens seen at least this many times.")
    var minCount = 1

    @Option(help: "Without --vocab: keep at most this many tokens.")
    var maxSize: Int?

    @Option(help: "Embedding dimension (default 64, or the dimension of --pretrained-vectors).")
    var dim: Int?

    @Option(help: "Hidden units of each recurrent direction.")
    var hidden = 128

    @Option(help: "Stacked recurrent layers.")
    var layers = 1

    @Flag(help: "Run each recurrent layer in both directions.")
    var bidirectional = false

    @Option(help: "cnn: the kernel widths, comma-separated.")
    var kernelSizes = "3,4,5"

    @Option(help: "cnn: filters per kernel width.")
    var filters = 100

    @Option(help: "Pooling (default: mean for pool, last for rnn/lstm/gru, max for cnn).")
    var pooling: ClassifierConfiguration.Pooling?

    @Option(help: "Dropout on the embeddings, between recurrent layers and on the pooled vector (default 0 for pool, else 0.1).")
    var dropout: Float?

    @Option(help: "Loss: auto (ce, or bce with --multilabel), ce, bce or mse.")
    var loss: TrainingJob.LossChoice = .auto

    @Flag(help: "Examples may have several labels (sigmoid outputs).")
    var multilabel = false

    @Option(help: "Loss weights per label: none or balanced (n / (labels · count)).")
    var classWeights: TrainingJob.ClassWeighting = .none

    @Option(help: "Optimizer (default sgd for pool, as fastText trains, else adam).")
    var optimizer: TrainingOptions.OptimizerKind?

    @Option(help: "Learning rate (default 1e-3 for adam/adamw; for sgd 8 with pool, else 0.1).")
    var lr: Double?

    @Option(help: "Learning-rate schedule: constant, or linear decay to 0 (default linear for pool, else constant).")
    var lrSchedule: TrainingOptions.Schedule?

    @Option(help: "sgd: momentum.")
    var momentum = 0.0

    @Flag(help: "sgd: Nesterov momentum.")
    var nesterov = false

    @Option(help: "Weight decay (default 0, adamw 0.01).")
    var weightDecay: Double?

    @Option(help: "Clip the global gradient norm to this value; 0 turns clipping off.")
    var clip = 5.0

    @Option(help: "Passes over the training data.")
    var epochs = 10

    @Option(help: "Examples per minibatch.")
    var batchSize = 64

    @Option(help: "Tokens beyond this many are dropped.")
    var maxLength = 256

    @Option(help: "pool: add the hashed rows of token 2..N-grams (1: off), as fastText's -wordNgrams.")
    var wordNgrams = 1

    @Option(help: "Subwords: the shortest character n-gram with a hashed row (with --maxn; fastText uses 3).")
    var minn: Int?

    @Option(help: "Subwords: the longest character n-gram with a hashed row (with --minn; fastText uses 6).")
    var maxn: Int?

    @Option(help: "Hashed rows for word n-grams and subwords, allocated only when those are on. At --dim 64, 2M rows take 512 MB and Adam's moments 1 GB more: prefer --optimizer sgd (as fastText) or fewer buckets.")
    var buckets = ClassifierConfiguration.defaultBuckets

    @Option(help: "Threads (default: the number of cores). The model does not depend on it.")
    var threads: Int?

    @Option(help: "Seed for initialisation, shuffling and dropout.")
    var seed: UInt64 = 1

    @Option(help: "Stop after this many epochs without a lower validation loss.")
    var earlyStopping: Int?

    @Option(help: "Initialise the embeddings from a .vec file.")
    var pretrainedVectors: String?

    @Flag(help: "Keep the embeddings fixed.")
    var freezeEmbeddings = false

    @Option(help: "Write one JSON object per epoch to this file.")
    var metricsLog: String?

    @Option(help: "Draw loss and accuracy by epoch into this SVG file.")
    var plot: String?

    @OptionGroup var checkpointing: CheckpointArguments

    @OptionGroup var messages: MessageArguments

    @Option(name: .shortAndLong, help: "The model file to write.")
    var output: String

    func validate() throws {
        func check(_ condition: Bool, _ message: String) throws {
            if !condition { throw ValidationError(message) }
        }
        try check(valid == nil || validSplit == nil, "--valid and --valid-split cannot be combined.")
        if let validSplit { try check(validSplit > 0 && validSplit < 1, "--valid-split must be between 0 and 1.") }
        if let dropout { try check(dropout >= 0 && dropout < 1, "--dropout must be in [0, 1).") }
        if let lr { try check(lr > 0 && lr.isFinite, "--lr must be positive.") }
        if let weightDecay { try check(weightDecay >= 0, "--weight-decay must not be negative.") }
        if let threads { try check(threads >= 1, "--threads must be at least 1.") }
        if let dim { try check(dim >= 1, "--dim must be at least 1.") }
        try check(hidden >= 1 && layers >= 1 && filters >= 1, "--hidden, --layers and --filters must be at least 1.")
        try check(epochs >= 1 && batchSize >= 1 && maxLength >= 1, "--epochs, --batch-size and --max-length must be at least 1.")
        try check(clip >= 0, "--clip must not be negative.")
        try check(minCount >= 1, "--min-count must be at least 1.")
        try check(momentum >= 0 && momentum < 1, "--momentum must be in [0, 1).")
        try check(resolvedOptimizer == .sgd || (momentum == 0 && !nesterov), "--momentum and --nesterov apply to --optimizer sgd.")
        try check(!nesterov || momentum > 0, "--nesterov needs a --momentum above 0.")
        try check(parsedKernelSizes != nil, "--kernel-sizes must be integers from 1 to \(ClassifierConfiguration.maximumKernelSize) separated by commas, e.g. 3,4,5.")
        if let pooling {
            try check(pooling != .last || arch.isRecurrent, "--pooling last needs a recurrent --arch (rnn, lstm or gru).")
        }
        try check(!(multilabel && loss == .ce), "--loss ce gives one label per example; use bce or mse with --multilabel.")
        if let earlyStopping {
            try check(earlyStopping >= 1, "--early-stopping must be at least 1.")
            try check(valid != nil || validSplit != nil, "--early-stopping needs --valid or --valid-split.")
        }
        try check(!freezeEmbeddings || pretrainedVectors != nil, "--freeze-embeddings needs --pretrained-vectors.")
        try check((1...ClassifierConfiguration.maximumWordNgrams).contains(wordNgrams),
                  "--word-ngrams must be from 1 to \(ClassifierConfiguration.maximumWordNgrams).")
        try check(wordNgrams == 1 || arch == .pool, "--word-ngrams above 1 needs --arch pool.")
        try check((minn == nil) == (maxn == nil), "--minn and --maxn must be given together.")
        if let minn, let maxn {
            try check(1 <= minn && minn <= maxn && maxn <= ClassifierConfiguration.maximumSubwordLength,
                      "--minn and --maxn need 1 ≤ minn ≤ maxn ≤ \(ClassifierConfiguration.maximumSubwordLength).")
            try check(tokenizer.level != .char, "subwords (--minn, --maxn) need --level word or space, not char.")
        }
        try check((1...ClassifierConfiguration.maximumBuckets).contains(buckets),
                  "--buckets must be from 1 to \(ClassifierConfiguration.maximumBuckets).")
        if vocab != nil {
            try check(tokenizer.tokenizer == Tokenizer() && minCount == 1 && maxSize == nil,
                      "--vocab fixes the tokenizer and vocabulary; drop --level, --lowercase, --normalize, --keep-punctuation, --min-count and --max-size.")
        }
    }

    // pool trains as fastText does unless told otherwise: SGD on the mean loss of a batch with a
    // rate decaying linearly to 0, no dropout, and no optimizer state beside the weights. Its
    // rate is fastText's 0.1 per example scaled to a batch mean (the default batch of 64 makes
    // each example's gradient 64 times smaller).
    private static let poolLearningRate = 8.0

    private var resolvedOptimizer: TrainingOptions.OptimizerKind { optimizer ?? (arch == .pool ? .sgd : .adam) }

    private var resolvedLearningRate: Double? {
        lr ?? (arch == .pool && resolvedOptimizer == .sgd ? Self.poolLearningRate : nil)
    }

    private var parsedKernelSizes: [Int]? {
        let sizes = kernelSizes.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !sizes.isEmpty, sizes.allSatisfy({ (1...ClassifierConfiguration.maximumKernelSize).contains($0 ?? 0) }) else {
            return nil
        }
        return sizes.map { $0! }
    }

    func run() throws {
        let dimension = try dim ?? pretrainedVectors.map(PretrainedVectors.dimension(of:)) ?? 64
        let options = try TrainingOptions(
            optimizer: resolvedOptimizer, learningRate: resolvedLearningRate,
            schedule: lrSchedule ?? (arch == .pool ? .linear : .constant), momentum: momentum, nesterov: nesterov,
            weightDecay: weightDecay, clip: clip, epochs: epochs, batchSize: batchSize, seed: seed,
            earlyStopping: earlyStopping, freezeEmbeddings: freezeEmbeddings,
            threads: threads ?? ProcessInfo.processInfo.activeProcessorCount)
        let network = ClassifierConfiguration(
            arch: arch, pooling: pooling, dim: dimension, hidden: hidden, layers: layers, bidirectional: bidirectional,
            kernelSizes: parsedKernelSizes!, filters: filters, dropout: dropout ?? (arch == .pool ? 0 : 0.1),
            multilabel: multilabel, maxLength: maxLength,
            wordNgrams: wordNgrams, minn: minn ?? 0, maxn: maxn ?? 0, buckets: buckets)
        let url = { (path: String) in URL(fileURLWithPath: path) }
        let format = corpusFormat.inputFormat
        var job = TrainingJob(train: .corpus(url(train), format: format), network: network, options: options,
                              output: url(output))
        job.valid = valid.map { .corpus(url($0), format: format) }
        job.validSplit = validSplit
        job.vocabulary = try vocab.map { try Vocabulary(contentsOf: url($0)) }
        job.tokenizer = tokenizer.tokenizer
        job.minCount = minCount
        job.maxSize = maxSize
        job.loss = loss
        job.classWeighting = classWeights
        job.pretrainedVectors = pretrainedVectors.map(url)
        job.metricsLog = metricsLog.map(url)
        job.plot = plot.map(url)
        job.checkpointDirectory = checkpointing.checkpoint.map(url)
        job.resume = checkpointing.resume
        job.stopAfterBatches = checkpointing.stopAfterBatch
        job.stopRequest = Interruption.stopRequestOnSignals()

        let display = TrainingProgressDisplay(epochs: epochs, quiet: messages.quiet)
        let result: TrainingJob.Result
        do {
            result = try job.run(warning: Diagnostics.warning, progress: display.show)
        } catch is CancellationError {
            Interruption.report(checkpoint: checkpointing.checkpoint)
            throw ExitCode(Interruption.exitStatus)
        }
        guard !messages.quiet else { return }
        let record = result.record
        if let covered = record.pretrainedCovered {
            let ordinary = result.vocabularySize - 2
            Diagnostics.write("pretrained vectors cover \(covered) of \(ordinary) tokens "
                              + String(format: "(%.1f%%)", ordinary > 0 ? Double(covered) / Double(ordinary) * 100 : 0))
        }
        Diagnostics.write("""
            kept epoch \(record.keptEpoch) of \(record.history.count); \(result.labels.count) labels, \
            vocabulary \(result.vocabularySize), \(result.parameterCount) parameters
            wrote \(output)
            """)
    }
}
