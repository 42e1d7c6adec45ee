import Foundation
import Testing
@testable import TextClfServer

/// The fast path for plain bodies reads what `JSONDecoder` reads, and leaves every other body
/// to it.
@Suite("Plain classify bodies")
struct PlainClassifyBodyTests {
    struct Decoded: Decodable, Equatable {
        var texts: [String]
        var k: Int?
        var all_probabilities: Bool?
    }

    static func plain(_ body: String) -> PlainClassifyBody? {
        Array(body.utf8).withUnsafeBufferPointer { PlainClassifyBody($0) }
    }

    @Test("plain bodies read as JSONDecoder reads them")
    func plainBodiesMatchTheDecoder() throws {
        let bodies = [
            #"{"texts": ["a"]}"#,
            #"{"texts":[]}"#,
            " \n{ \"texts\" :\t[ \"free prize\" , \"\" ] ,\"k\": 2 , \"all_probabilities\" : false }\r\n",
            #"{"all_probabilities": true, "texts": ["x"], "k": 0}"#,
            #"{"texts": ["quote \" backslash \\ slash \/ tab \t newline \n cr \r b \b f \f"]}"#,
            #"{"texts": ["čeština", "日本語のテキスト", "emoji 🙂"], "k": 123456789}"#,
        ]
        for body in bodies {
            let fast = try #require(Self.plain(body), "\(body)")
            let decoded = try JSONDecoder().decode(Decoded.self, from: Data(body.utf8))
            #expect(Decoded(texts: fast.texts, k: fast.k, all_probabilities: fast.allProbabilities) == decoded, "\(body)")
        }
    }

    @Test("every other body is left to JSONDecoder")
    func otherBodiesFallBack() {
        let bodies = [
            #"{"texts": ["a"], "threshold": 0.5}"#,   // floats are the decoder's
            #"{"texts": ["\u00e9"]}"#,                 // so are \u escapes
            #"{"texts": ["a"], "k": 1.0}"#,
            #"{"texts": ["a"], "k": 1e2}"#,
            #"{"texts": ["a"], "k": -1}"#,
            #"{"texts": ["a"], "k": 01}"#,
            #"{"texts": ["a"], "k": 1234567890}"#,
            #"{"texts": ["a"], "k": null}"#,
            #"{"texts": ["a"], "texts": ["b"]}"#,
            #"{"texts": ["a"], "other": 1}"#,
            #"{"texts": ["a"],}"#,
            #"{"texts": ["a",]}"#,
            #"{"texts": ["a"]} x"#,
            #"{"texts": ["a"]"#,
            #"{"texts": ["a"], "all_probabilities": tru}"#,
            "{\"texts\": [\"a\u{01}b\"]}",
            #"{"k": 1}"#,
            #"["a"]"#,
            "\u{FEFF}{\"texts\": [\"a\"]}",
        ]
        for body in bodies {
            #expect(Self.plain(body) == nil, "\(body)")
        }
    }
}
