import ArgumentParser
import TextClf

extension CorpusFormat: ExpressibleByArgument {}

/// How commands that read corpora find their format (SPEC §3).
struct CorpusFormatArguments: ParsableArguments {
    @Option(help: "Corpus format (default: detected from the extension, or from the first line: __label__ → fasttext, a tab → tsv, otherwise text).")
    var inputFormat: CorpusFormat?
}
