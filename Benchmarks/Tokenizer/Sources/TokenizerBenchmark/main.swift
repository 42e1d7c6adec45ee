// Measures textclf's tokenization from text to vocabulary ids in MB/s of UTF-8 input.
//
//     TokenizerBenchmark LINES_FILE char|word|space [SECONDS]
//
// Reads every line into memory, builds a vocabulary from them (untimed), then encodes all
// lines repeatedly for about SECONDS (default 2) of CPU time and prints `MB/s tokens/line`.
// CPU time, as in the C baseline, so that other processes sharing the machine do not count.
import Foundation
@_spi(Internals) import TextClf

let arguments = CommandLine.arguments
guard arguments.count >= 3, let level = Tokenizer.Level(rawValue: arguments[2]) else {
    FileHandle.standardError.write(Data("usage: TokenizerBenchmark LINES_FILE char|word|space [SECONDS]\n".utf8))
    exit(2)
}
let seconds = arguments.count > 3 ? Double(arguments[3]) ?? 2 : 2
var lines = try String(contentsOfFile: arguments[1], encoding: .utf8)
    .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
if lines.last == "" { lines.removeLast() }
let bytes = lines.reduce(0) { $0 + $1.utf8.count }

let tokenizer = Tokenizer(level: level)
let session = tokenizer.makeSession()
var counter = TokenCounter()
for line in lines { session.forEachToken(in: line) { counter.add($0) } }
let vocabulary = Vocabulary(counts: counter, tokenizer: tokenizer)

var ids: [Int32] = []
ids.reserveCapacity(4096)
var checksum = 0
var passes = 0
func cpuSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
}
let start = cpuSeconds()
var elapsed = 0.0
repeat {
    for line in lines {
        session.encode(line, with: vocabulary, into: &ids)
        checksum &+= ids.count
    }
    passes += 1
    elapsed = cpuSeconds() - start
} while elapsed < seconds

let megabytesPerSecond = Double(bytes) * Double(passes) / elapsed / 1e6
print(String(format: "%.2f %.2f", megabytesPerSecond, Double(checksum) / Double(passes * lines.count)))
