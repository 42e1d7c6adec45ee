import Foundation
import Testing
@testable import TextClf

/// Replays the fuzzers' seeds (`Fuzz/Seeds/`) and every input a fuzzer ever crashed on
/// (`Fuzz/Regressions/`) through the code the targets in `Fuzz/` drive, in the normal build:
/// each must end in a value or an error, never a trap.
@Suite("fuzz seeds and regressions")
struct FuzzRegressionTests {
    static func inputs(_ kind: String) -> [(name: String, bytes: [UInt8])] {
        var inputs: [(String, [UInt8])] = []
        for folder in ["Fuzz/Seeds", "Fuzz/Regressions"] {
            let directory = TestPaths.repository.appendingPathComponent("\(folder)/\(kind)")
            let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
            for name in names.sorted() where !name.hasPrefix(".") {
                let data = FileManager.default.contents(atPath: directory.appendingPathComponent(name).path) ?? Data()
                inputs.append(("\(folder)/\(kind)/\(name)", [UInt8](data)))
            }
        }
        return inputs
    }

    @Test func corpusReaders() throws {
        let files = ScratchDirectory()
        let suffixes = [".txt", ".tsv", ".csv", ".jsonl"]
        #expect(!Self.inputs("corpus").isEmpty)
        for (_, bytes) in Self.inputs("corpus") {
            let path = files.write("input" + suffixes[Int(bytes.first ?? 0) % suffixes.count], bytes: Array(bytes.dropFirst()))
            guard let reader = try? CorpusReader(path: path) else { continue }
            while (try? reader.next()) != nil {}
        }
    }

    @Test func vocabularyLoader() throws {
        let files = ScratchDirectory()
        #expect(!Self.inputs("vocabulary").isEmpty)
        for (name, bytes) in Self.inputs("vocabulary") {
            let payload = Array(bytes.dropFirst())
            let vocabulary = (bytes.first ?? 0) & 1 == 1
                ? try? Vocabulary(contentsOf: URL(fileURLWithPath: files.write("v.txt", bytes: payload)))
                : try? Vocabulary(parsing: String(decoding: payload, as: UTF8.self), name: name)
            if let vocabulary {
                var ids: [Int32] = []
                vocabulary.tokenizer.makeSession().encode("the Quick 好 fox", with: vocabulary, maxLength: 8, into: &ids)
            }
        }
    }

    @Test func modelLoader() throws {
        let inputs = Self.inputs("model")
        #expect(inputs.count >= 6)
        for (name, bytes) in inputs {
            guard let file = try? ModelFile(bytes: bytes, name: name),
                  let classifier = try? Classifier(file: file, name: name) else {
                #expect(!name.hasPrefix("Fuzz/Seeds"), "the seed \(name) must load")
                continue
            }
            #expect(classifier.predict(batch: ["", "banana", "好 文字"], k: 3).count == 3)
        }
    }

    @Test func tokenizer() throws {
        for (_, bytes) in Self.inputs("tokenizer") {
            let options = Int(bytes.first ?? 0)
            let levels = Tokenizer.Level.allCases, forms = Tokenizer.Normalization.allCases
            let tokenizer = Tokenizer(level: levels[options % levels.count], lowercase: options & 4 != 0,
                                      normalization: forms[(options >> 3) % forms.count], keepPunctuation: options & 32 != 0)
            let tokens = tokenizer.tokens(String(decoding: bytes.dropFirst(), as: UTF8.self))
            #expect(tokens.allSatisfy { !$0.isEmpty })
        }
    }
}
