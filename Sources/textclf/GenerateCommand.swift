import ArgumentParser
import TextClf

extension DatasetGenerator.Task: ExpressibleByArgument {}
extension CorpusWriter.Format: ExpressibleByArgument {}

struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Generate a labeled dataset of random strings about a target character.",
        discussion: """
            contains: label 1 (or the first of --labels) when the string contains the target, \
            0 otherwise. position: the index of the target's first occurrence, or `none`. count: \
            how many times the target occurs. Each string holds the target with probability \
            --positive-ratio. Targets and alphabets may be any Unicode characters; `a-z` in an \
            alphabet is a range. The same options and --seed give the same file. The format \
            follows the name of the output (.tsv, .jsonl, otherwise fastText lines) unless \
            --format names it.

            Examples:
              textclf generate contains --target a --count 2000 -o contains_a.txt
              textclf generate position --target 好 --alphabet 你好吗我他 --count 5
              textclf generate count --target x --min-length 3 --max-length 9 -o count.tsv
            """
    )

    @Argument(help: "The labeling task: contains, position or count.")
    var task: DatasetGenerator.Task

    @Option(help: "The target character (one grapheme).")
    var target: String

    @Option(help: "The characters strings are made of; `x-y` is a range.")
    var alphabet = "a-z"

    @Option(help: "The length of every string (exclusive with --min-length/--max-length).")
    var length: Int?

    @Option(help: "The shortest string.")
    var minLength: Int?

    @Option(help: "The longest string.")
    var maxLength: Int?

    @Option(help: "How many examples to write.")
    var count = 1000

    @Option(help: "The chance that a string holds the target.")
    var positiveRatio = 0.5

    @Option(help: "For contains: the labels with and without the target, as POS,NEG.")
    var labels = "1,0"

    @Option(help: "The random seed.")
    var seed: UInt64 = 1

    @Option(help: "Output format (default: from the file name's extension, else fasttext).")
    var format: CorpusWriter.Format?

    @Option(name: .shortAndLong, help: "The file to write (default: standard output).")
    var output: String?

    @OptionGroup var messages: MessageArguments

    func validate() throws {
        guard target.count == 1 else { throw ValidationError("--target must be exactly one character, got '\(target)'.") }
        if length != nil && (minLength != nil || maxLength != nil) {
            throw ValidationError("--length cannot be combined with --min-length or --max-length.")
        }
        if (minLength == nil) != (maxLength == nil) {
            throw ValidationError("--min-length and --max-length go together.")
        }
        guard lengths.lowerBound >= 1, (minLength ?? 0) <= (maxLength ?? .max) else {
            throw ValidationError("lengths must be at least 1, with --min-length ≤ --max-length.")
        }
        guard count >= 0 else { throw ValidationError("--count must not be negative.") }
        guard (0...1).contains(positiveRatio) else { throw ValidationError("--positive-ratio must be between 0 and 1.") }
        let parts = labels.split(separator: ",", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ !$0.isEmpty }), parts[0] != parts[1] else {
            throw ValidationError("--labels must be two different labels, as POS,NEG.")
        }
        do {
            _ = try DatasetGenerator.parseAlphabet(alphabet)
        } catch {
            throw ValidationError("--alphabet: \(error.localizedDescription)")
        }
        _ = try outputFormat
    }

    /// --format, else the format the output's name implies, else fastText lines.
    private var outputFormat: CorpusWriter.Format {
        get throws {
            if let format { return format }
            guard let output else { return .fasttext }
            do {
                return try CorpusWriter.Format(path: output)
            } catch {
                throw ValidationError("-o \(error)")
            }
        }
    }

    private var lengths: ClosedRange<Int> {
        if let minLength, let maxLength { return minLength...max(minLength, maxLength) }
        let fixed = length ?? 6
        return fixed...fixed
    }

    func run() throws {
        let parts = labels.split(separator: ",").map(String.init)
        var generator = try DatasetGenerator(
            task: task, target: Character(target), alphabet: DatasetGenerator.parseAlphabet(alphabet),
            lengths: lengths, positiveRatio: positiveRatio, positiveLabel: parts[0], negativeLabel: parts[1], seed: seed)
        let format = try outputFormat
        let write = { (out: BufferedOutput) throws in
            let writer = CorpusWriter(format: format, output: out)
            for line in 0..<count {
                let example = generator.next()
                try writer.write(LabeledExample(text: example.text, labels: [example.label], line: line + 1))
            }
        }
        if let output {
            try AtomicFileWriter.write(to: output, write)
            if !messages.quiet { Diagnostics.write("wrote \(output): \(count) examples (\(format.rawValue))") }
        } else {
            let out = BufferedOutput.standardOutput()
            try write(out)
            try out.flush()
        }
    }
}
