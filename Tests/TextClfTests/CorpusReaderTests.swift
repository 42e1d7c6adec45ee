import Foundation
import Testing
@testable import TextClf

@Suite("Corpus readers")
struct CorpusReaderTests {
    private func readAll(_ path: String, _ format: CorpusFormat? = nil) throws -> [LabeledExample] {
        let reader = try CorpusReader(path: path, format: format)
        var examples: [LabeledExample] = []
        while let example = try reader.next() { examples.append(example) }
        return examples
    }

    /// Expects reading `path` to fail with a message starting `path:line:` and containing `fragment`.
    private func expectMalformed(_ path: String, _ format: CorpusFormat? = nil, line: Int, _ fragment: String,
                                 sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            _ = try readAll(path, format)
            Issue.record("read without error", sourceLocation: sourceLocation)
        } catch {
            let message = (error as? LocalizedError)?.errorDescription ?? "\(error)"
            #expect(message.hasPrefix("\(path):\(line):"), "\(message)", sourceLocation: sourceLocation)
            #expect(message.contains(fragment), "\(message)", sourceLocation: sourceLocation)
        }
    }

    @Test func fastTextLinesGiveLabelsAndTextWithBOMAndCRLF() throws {
        let files = ScratchDirectory()
        let path = files.write("a.txt", bytes: [0xEF, 0xBB, 0xBF] + Array("__label__pos  __label__x great  movie\r\n\r\n__label__neg\tbad\n__label__neg\n".utf8))
        #expect(try CorpusFormat.detect(path: path) == .fasttext)
        #expect(try readAll(path) == [
            LabeledExample(text: "great  movie", labels: ["pos", "x"], line: 1),
            LabeledExample(text: "bad", labels: ["neg"], line: 3),
            LabeledExample(text: "", labels: ["neg"], line: 4),
        ])
    }

    @Test func classifyStripsLabelsExactlyAsTheReaderParsesThem() throws {
        // Every fastText separator ends a label: space, tab, VT, FF, CR, NUL (LF ends the line).
        let lines = ["__label__a\u{0B}one", "__label__a\u{0C}__label__b\ttwo", "__label__a\u{0}three",
                     "__label__a\r four", "__label__a  five  "]
        let files = ScratchDirectory()
        let path = files.write("labels.txt", lines.joined(separator: "\n") + "\n")
        let texts = try readAll(path, .fasttext).map(\.text)
        #expect(texts == ["one", "two", "three", "four", "five  "])
        #expect(lines.map(PredictionFormat.strippingLabels) == texts)
        // A line without labels is all text, leading spaces included.
        #expect(PredictionFormat.strippingLabels("  plain __label__x") == "  plain __label__x")
    }

    @Test func fastTextLineWithoutLabelIsMalformed() {
        let files = ScratchDirectory()
        expectMalformed(files.write("a.txt", "__label__a ok\nno label here\n"), line: 2, "no __label__")
        expectMalformed(files.write("b.txt", "__label__a ok\n__label__ empty\n"), line: 2, "empty label")
    }

    @Test func tsvLinesSplitAtTheFirstTab() throws {
        let files = ScratchDirectory()
        let path = files.write("a.tsv", "spam\tWin\ta prize\nham\tsee you\n\n")
        #expect(try readAll(path) == [
            LabeledExample(text: "Win\ta prize", labels: ["spam"], line: 1),
            LabeledExample(text: "see you", labels: ["ham"], line: 2),
        ])
        expectMalformed(files.write("b.tsv", "a\tok\nmissing tab\n"), line: 2, "no tab")
        expectMalformed(files.write("c.tsv", "\tno label\n"), line: 1, "empty label")
    }

    @Test func csvFollowsRFC4180WithMultiLineQuotedFields() throws {
        let files = ScratchDirectory()
        let path = files.write("a.csv", "id,Label,text\r\n1,pos,\"Hello, \"\"world\"\"\r\nsecond line\"\r\n2,neg,plain\n3,neg,\"\"\n")
        #expect(try readAll(path) == [
            LabeledExample(text: "Hello, \"world\"\nsecond line", labels: ["pos"], line: 2),
            LabeledExample(text: "plain", labels: ["neg"], line: 4),
            LabeledExample(text: "", labels: ["neg"], line: 5),
        ])
    }

    @Test func malformedCSVIsReportedWithItsLine() {
        let files = ScratchDirectory()
        let noText = files.write("a.csv", "label,body\npos,hi\n")
        #expect(throws: CorpusError.missingColumn(file: noText, column: "text")) { try readAll(noText) }
        expectMalformed(files.write("b.csv", "text,label\nhi,pos\n\"open,pos\nstill open\n"), line: 3, "not closed")
        expectMalformed(files.write("c.csv", "text,label\nhi,pos,extra\n"), line: 2, "3 fields")
        expectMalformed(files.write("d.csv", "text,label\nsay \"hi\",pos\n"), line: 2, "quote inside")
        expectMalformed(files.write("e.csv", "text,label\n\"hi\"x,pos\n"), line: 2, "after a closing quote")
    }

    @Test func jsonlReadsLabelOrLabelsWithEscapes() throws {
        let files = ScratchDirectory()
        let path = files.write("a.jsonl", """
            {"text": "caf\\u00e9 \\"ok\\"\\n\\ud83d\\ude00", "label": "pos", "id": [1, {"x": null}]}

            {"labels": ["a", 2], "text": "two"}
            {"text":"num","label":1.5e3}
            """)
        #expect(try readAll(path) == [
            LabeledExample(text: "café \"ok\"\n😀", labels: ["pos"], line: 1),
            LabeledExample(text: "two", labels: ["a", "2"], line: 3),
            LabeledExample(text: "num", labels: ["1.5e3"], line: 4),
        ])
    }

    @Test func malformedJSONLinesAreReported() {
        let files = ScratchDirectory()
        expectMalformed(files.write("a.jsonl", "{\"text\": \"ok\", \"label\": \"a\"}\n{\"text\": \"bad\" \"label\": 1}\n"),
                        line: 2, "expected ',' or '}'")
        expectMalformed(files.write("b.jsonl", "{\"label\": \"a\"}\n"), line: 1, "no \"text\"")
        expectMalformed(files.write("c.jsonl", "{\"text\": \"x\"}\n"), line: 1, "no \"label\"")
        expectMalformed(files.write("d.jsonl", "[1, 2]\n"), line: 1, "object")
        expectMalformed(files.write("e.jsonl", "{\"text\": \"x\", \"label\": true}\n"), line: 1, "neither")
        expectMalformed(files.write("f.jsonl", "{\"text\": \"x\", \"label\": \"a\"} tail\n"), line: 1, "after the JSON")
        expectMalformed(files.write("g.jsonl", "{\"text\": \"unterminated\n"), line: 1, "unterminated")
    }

    @Test func labeledDirectoriesGiveOneExamplePerFileInNameOrder() throws {
        let files = ScratchDirectory()
        files.write("corpus/neg/2.txt", "bad\r\nfilm\n\n")
        files.write("corpus/pos/1.txt", "good")
        files.write("corpus/neg/1.txt", "awful")
        files.write("corpus/README", "not an example")
        files.write("corpus/pos/.hidden", "skipped")
        let path = files.path("corpus")
        #expect(try CorpusFormat.detect(path: path) == .dir)
        #expect(try readAll(path).map { "\($0.labels[0]):\($0.text)" } == ["neg:awful", "neg:bad\nfilm", "pos:good"])
        #expect(throws: FileError.notDirectory(path: files.path("corpus/README"))) {
            try readAll(files.path("corpus/README"), .dir)
        }
    }

    @Test func plainTextKeepsEveryLineAndIsDetectedWithoutLabelsOrTabs() throws {
        let files = ScratchDirectory()
        let path = files.write("plain.txt", "first line\n\nthird")
        #expect(try CorpusFormat.detect(path: path) == .text)
        #expect(try readAll(path).map(\.text) == ["first line", "", "third"])
        let tabbed = files.write("tabbed.txt", "\n\nlabel\ttext\n")
        #expect(try CorpusFormat.detect(path: tabbed) == .tsv)
    }

    @Test func invalidBytesBecomeReplacementCharactersAndAreCounted() throws {
        let files = ScratchDirectory()
        let path = files.write("bad.txt", bytes: Array("__label__a ok \u{E9}".utf8) + [0xFF, 0x0A] + Array("__label__b ".utf8) + [0xC3, 0x28, 0xE2, 0x82, 0x0A])
        let reader = try CorpusReader(path: path)
        #expect(try reader.next()?.text == "ok é\u{FFFD}")
        #expect(try reader.next()?.text == "\u{FFFD}(\u{FFFD}")
        #expect(reader.replacements == 3)
    }

    @Test func missingFilesAndDirectoriesGiveFileErrors() {
        let files = ScratchDirectory()
        let missing = files.path("nope.txt")
        #expect(throws: FileError.self) { try readAll(missing) }
        #expect(throws: FileError.isDirectory(path: files.url.path)) { try readAll(files.url.path, .tsv) }
    }

    @Test func lineReaderHandlesLinesLongerThanItsBuffer() throws {
        let files = ScratchDirectory()
        let long = String(repeating: "x", count: 200_000)
        let path = files.write("long.txt", "a\n\(long)\r\nb")
        let reader = try LineReader(path: path)
        #expect(try reader.nextString() == "a")
        #expect(try reader.nextString() == long)
        #expect(try reader.nextString() == "b")
        #expect(try reader.nextString() == nil)
        #expect(reader.lineNumber == 3)
    }
}

@Suite("Corpus writers")
struct CorpusWriterTests {
    @Test func writtenLinesReadBackInEachFormat() throws {
        let files = ScratchDirectory()
        let examples = [LabeledExample(text: "tab\there \"quoted\"", labels: ["pos"], line: 1),
                        LabeledExample(text: "second\nline", labels: ["neg"], line: 2)]
        for format in CorpusWriter.Format.allCases {
            // Upper-case extensions name the same formats, for writers and readers alike.
            let path = files.path("out.\(format == .fasttext ? "txt" : format.rawValue.uppercased())")
            try AtomicFileWriter.write(to: path) { output in
                let writer = CorpusWriter(format: try CorpusWriter.Format(path: path), output: output)
                for example in examples { try writer.write(example) }
            }
            let reader = try CorpusReader(path: path)
            #expect(reader.format.rawValue == format.rawValue)
            var read: [LabeledExample] = []
            while let example = try reader.next() { read.append(example) }
            let expectedTexts = format == .jsonl ? examples.map(\.text) : ["tab here \"quoted\"", "second line"]
            #expect(read.map(\.text) == expectedTexts, "\(format)")
            #expect(read.map(\.labels) == [["pos"], ["neg"]])
        }
    }

    @Test func extensionsNameFormatsInAnyCaseAndCSVIsNeverWritten() throws {
        #expect(CorpusFormat(extensionOf: "a/b.TSV") == .tsv)
        #expect(CorpusFormat(extensionOf: "b.Jsonl") == .jsonl)
        #expect(CorpusFormat(extensionOf: "b.csv") == .csv)
        #expect(CorpusFormat(extensionOf: "b.txt") == nil && CorpusFormat(extensionOf: "tsv") == nil)
        #expect(try CorpusWriter.Format(path: "x.TSV") == .tsv)
        #expect(try CorpusWriter.Format(path: "x.data") == .fasttext)
        #expect(throws: CorpusWriter.WriteError.unwritableFormat(path: "x.CSV", format: .csv)) {
            try CorpusWriter.Format(path: "x.CSV")
        }
    }

    @Test func multiLabelExamplesNeedFastTextOrJSONL() throws {
        let example = LabeledExample(text: "t", labels: ["a", "b"], line: 1)
        #expect(try CorpusWriter.line(for: example, format: .fasttext) == "__label__a __label__b t\n")
        #expect(try CorpusWriter.line(for: example, format: .jsonl) == "{\"text\":\"t\",\"labels\":[\"a\",\"b\"]}\n")
        #expect(throws: CorpusWriter.WriteError.needsOneLabel(format: .tsv, labels: 2)) {
            try CorpusWriter.line(for: example, format: .tsv)
        }
    }

    @Test func atomicWriterLeavesNothingBehindOnError() throws {
        struct Stop: Error {}
        let files = ScratchDirectory()
        let path = files.path("out.txt")
        files.write("out.txt", "old contents")
        #expect(throws: Stop.self) {
            try AtomicFileWriter.write(to: path) { output in
                try output.write(String(repeating: "new ", count: 50_000))
                throw Stop()
            }
        }
        #expect(files.listing() == ["out.txt"])
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "old contents")
        try AtomicFileWriter.write(to: path) { try $0.write("new") }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "new")
        #expect(files.listing() == ["out.txt"])
        #expect(throws: FileError.self) { try AtomicFileWriter.write(to: files.path("no/such/dir/x")) { _ in } }
    }
}
