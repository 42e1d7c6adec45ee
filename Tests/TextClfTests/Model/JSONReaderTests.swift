import Foundation
import Testing
@testable import TextClf

@Suite("JSON reader")
struct JSONReaderTests {
    /// What Foundation's JSON reader, which model files were read with before, makes of `json`.
    private func foundationStrings(_ json: String) -> [String]? {
        (try? JSONSerialization.jsonObject(with: Data(json.utf8), options: [.fragmentsAllowed])) as? [String]
    }

    @Test func writtenArraysReadBackUnchanged() {
        let strings = ["<pad>", "<unk>", "", "plain", "quote\"d", "back\\slash", "line\nbreak", "tab\there",
                       "cr\r", "\u{0}\u{1}\u{1F}", "\u{7F}", "/slash/", "é", "日本語", "🙂👍🏽", "a\u{2028}b"]
        let json = jsonArray(strings)
        #expect(decodeStringArray(json) == strings)
        #expect(decodeStringArray(json) == foundationStrings(json))
        #expect(decodeStringArray("[]") == [])
    }

    @Test func everyEscapeAndWhitespace() {
        let json = " \t\r\n[ \"\\\" \\\\ \\/ \\b \\f \\n \\r \\t\" ,\n\"\\u0041\\u00e9\\u65E5\\ud83d\\ude42\" ] \n"
        let expected = ["\" \\ / \u{8} \u{C} \n \r \t", "Aé日🙂"]
        #expect(decodeStringArray(json) == expected)
        #expect(foundationStrings(json) == expected)
    }

    @Test(arguments: [
        "", " ", "\"a\"", "{}", "[", "]", "[\"a\"", "[\"a\",]", "[,\"a\"]", "[\"a\" \"b\"]", "[\"a\"]]", "[\"a\"] x",
        "[1]", "[\"a\",null]", "[[\"a\"]]", "[\"a]", "[\"a\tb\"]", "[\"a\nb\"]", "[\"\\x\"]", "[\"\\U0041\"]",
        "[\"\\u12\"]", "[\"\\u12g4\"]", "[\"\\ud83d\"]", "[\"\\ud83dx\"]", "[\"\\ud83d\\u0041\"]", "[\"\\ude42\"]",
        "[\"\\ud83d\\ud83d\"]", "[\"\\", "['a']", "[\"a\"\u{0B}]",
    ])
    func invalidArraysAreRefused(json: String) {
        #expect(decodeStringArray(json) == nil)
    }

    @Test func aModelWithABadVocabularyIsMalformed() throws {
        let config = "{}", labels = "[\"a\"]"
        for vocabulary in ["[\"<pad>\",\"<unk>\",\"\\ud800\"]", "[\"<pad>\",\"<unk>\",7]"] {
            var container = Safetensors()
            container.metadata = [
                "format": "textclf", "format_version": "1", "config": config, "vocabulary": vocabulary, "labels": labels,
                "checksum": ModelFile.checksum(version: 1, container: container, config: config,
                                               vocabulary: vocabulary, labels: labels),
            ]
            #expect(throws: ModelFileError.malformed("m", reason: "vocabulary or labels is not a JSON array of strings")) {
                try ModelFile(bytes: container.serialized(), name: "m")
            }
        }
    }

    private func document(_ json: String) -> JSONReader.Value? {
        var json = json
        return json.withUTF8 { bytes in
            var reader = JSONReader(bytes: bytes)
            return reader.document()
        }
    }

    @Test func aSafetensorsHeaderReads() {
        let json = "{\"__metadata__\":{\"format\":\"pt\"}, \"x\": {\"dtype\":\"F32\",\"shape\":[2, 3],\"data_offsets\":[0,24]},"
            + "\"flags\":[true,false,null,-0.5e-1,\"\"]}   "
        #expect(document(json) == .object([
            "__metadata__": .object(["format": .string("pt")]),
            "x": .object(["dtype": .string("F32"), "shape": .array([.number(2, integer: 2), .number(3, integer: 3)]),
                          "data_offsets": .array([.number(0, integer: 0), .number(24, integer: 24)])]),
            "flags": .array([.bool(true), .bool(false), .null, .number(-0.05, integer: nil), .string("")]),
        ]))
    }

    @Test func numbersAreSizesOnlyWhenTheyEqualANonNegativeInteger() {
        let sizes = ["0", "7", "-0", "2.0", "1e3", "25E-1", "9223372036854775807", "99999999999999999999", "-1", "1.5", "1e30"]
            .map { document($0)?.nonNegativeInteger }
        #expect(sizes == [0, 7, 0, 2, 1000, nil, Int.max, nil, nil, nil, nil])
    }

    @Test(arguments: ["", "01", "1.", ".5", "+1", "-", "1e", "1e+", "0x10", "tru", "nul", "truex", "{\"a\" 1}", "{\"a\":1,}",
                      "{1:2}", "{\"a\":}", "[1,]", "[1 2]", "{\"a\":1}}", "{\"a\":1} {}", "NaN", "Infinity"])
    func invalidDocumentsAreRefused(json: String) {
        #expect(document(json) == nil)
    }

    @Test func deepNestingIsRefusedWithoutExhaustingTheStack() {
        #expect(document(String(repeating: "[", count: 511) + String(repeating: "]", count: 511)) != nil)
        #expect(document(String(repeating: "[", count: 513) + String(repeating: "]", count: 513)) == nil)
        #expect(document(String(repeating: "[", count: 1_000_000)) == nil)
    }

    @Test func aHeaderOfInvalidUTF8IsNotJSON() {
        var header: [UInt8] = Array("{\"__metadata__\":{\"a\":\"\u{FF}\"}}".utf8)
        header[header.count - 4] = 0xFF
        while header.count % 8 != 0 { header.append(0x20) }
        var bytes = withUnsafeBytes(of: UInt64(header.count).littleEndian, Array.init)
        bytes += header
        #expect(throws: SafetensorsError.malformedHeader("h", reason: "not JSON")) {
            try Safetensors(bytes: bytes, name: "h")
        }
    }
}
