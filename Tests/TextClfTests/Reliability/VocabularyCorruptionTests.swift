import Foundation
import Testing
@testable import TextClf

/// Vocabulary files cut or bit-flipped anywhere: refused with a `VocabularyError` naming the
/// line, or read as what they still say (a vocabulary file has no checksum), never a trap.
@Suite("vocabulary files: truncation and bit flips")
struct VocabularyCorruptionTests {
    static let contents: [UInt8] = Array("""
        #textclf-vocab 1 level=word lowercase=true normalize=nfc keep_punctuation=false
        <pad>\t0
        <unk>\t0
        the\t42
        tab\\there\t7
        好\t3
        \\\\\t1

        """.utf8)

    private func read(_ bytes: [UInt8]) throws -> Vocabulary {
        try Vocabulary(parsing: String(decoding: bytes, as: UTF8.self), name: "v")
    }

    @Test func everyTruncationIsRefusedOrAPrefix() throws {
        let whole = try read(Self.contents)
        #expect(whole.count == 6)
        var refused = 0
        for length in 0..<Self.contents.count {
            do {
                let vocabulary = try read(Array(Self.contents.prefix(length)))
                #expect(vocabulary.count <= whole.count)
            } catch {
                #expect(error is VocabularyError, "cut at \(length): \(error)")
                refused += 1
            }
        }
        #expect(refused > Self.contents.count / 2)
    }

    @Test func everyBitFlipIsRefusedOrReadWithoutTrapping() throws {
        var refused = 0, total = 0
        for offset in Self.contents.indices {
            for bit in 0..<8 {
                var flipped = Self.contents
                flipped[offset] ^= UInt8(1 << bit)
                total += 1
                do { _ = try read(flipped) } catch {
                    #expect(error is VocabularyError, "offset \(offset) bit \(bit): \(error)")
                    refused += 1
                }
            }
        }
        #expect(refused > total / 2)
    }

    /// The file reader (line by line, invalid UTF-8 refused) sees the same cuts.
    @Test func truncatedFilesAreRefusedThroughTheFileReader() throws {
        let files = ScratchDirectory()
        for length in stride(from: 0, to: Self.contents.count, by: 5) {
            let path = files.write("v\(length).txt", bytes: Array(Self.contents.prefix(length)))
            do { _ = try Vocabulary(contentsOf: URL(fileURLWithPath: path)) } catch {
                #expect(error is VocabularyError, "cut at \(length): \(error)")
            }
        }
        let invalid = files.write("bad.txt", bytes: Array(Self.contents.prefix(100)) + [0xFF, 0xFE, 0x09, 0x31, 0x0A])
        #expect(throws: VocabularyError.self) { try Vocabulary(contentsOf: URL(fileURLWithPath: invalid)) }
    }

    @Test func otherVersionsAndKindsAreRefused() {
        let newer = Array("#textclf-vocab 2 level=word lowercase=true normalize=nfc keep_punctuation=false\n".utf8)
        #expect(throws: VocabularyError.unsupportedVersion(file: "v", found: "2", supported: 1)) { try read(newer) }
        #expect(throws: VocabularyError.self) { try read(HostileModelFiles.bytes(.pool)) }
        #expect(throws: VocabularyError.self) { try read(Array("\t\n".utf8)) }
    }
}
