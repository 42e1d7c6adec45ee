import Foundation
import Testing
@testable import TextClf

@Suite("model file version 2")
struct FormatVersion2Tests {
    let quantized = ModelFile(
        tensors: ["fc.weight.scale": Tensor(shape: [2], values: [0.5, 0.25]), "fc.bias": Tensor(shape: [2], values: [0, -1])],
        integerTensors: ["fc.weight": IntegerTensor(dtype: .i8, shape: [2, 3], values: [-128, 127, 0, 1, -1, 5]),
                         "embedding.rows": IntegerTensor(dtype: .i32, shape: [2], values: [7, Int32.max])],
        config: "{\"arch\":\"pool\"}", vocabulary: ["<pad>", "<unk>"], labels: ["a", "b"])

    @Test func integerTensorsRoundTripAsVersion2() throws {
        #expect(quantized.formatVersion == 2)
        let bytes = quantized.serialized()
        let read = try ModelFile(bytes: bytes, name: "m")
        #expect(read.formatVersion == 2)
        #expect(read.integerTensors == quantized.integerTensors)
        #expect(read.tensors == quantized.tensors)
        #expect(read.serialized() == bytes)
        // 6 one-byte values, 2 four-byte ids and 4 floats.
        #expect(Safetensors(tensors: quantized.tensors, integerTensors: quantized.integerTensors).dataSection.count == 6 + 8 + 16)
    }

    @Test func writingStreamsTheSerializedBytes() throws {
        let scratch = ScratchDirectory()
        // A tensor bigger than the output's buffer, so that it goes out in several slices.
        let big = ModelFile(tensors: ["embedding.weight": Tensor(shape: [300, 100], values: (0..<30_000).map { Float($0) / 7 }),
                                      "fc.bias": Tensor(shape: [2], values: [0, -1])],
                            config: "{}", vocabulary: ["<pad>", "<unk>"], labels: ["a", "b"])
        for file in [quantized, big] {
            let url = URL(fileURLWithPath: scratch.path("m.safetensors"))
            let written = try file.write(to: url)
            let bytes = try FileBytes.read(url)
            #expect(bytes == file.serialized() && written == bytes.count)
        }
    }

    @Test func checksumFoldsAnySplitOfTheBytesAlike() {
        let bytes = (0..<1_000).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
        var whole = CRC32(), split = CRC32(), byByte = CRC32()
        whole.update(bytes)
        split.update(bytes[..<13])
        split.update(bytes[13...])
        for byte in bytes { byByte.update(CollectionOfOne(byte)) }
        #expect(whole.value == split.value && whole.value == byByte.value)
        var check = CRC32()
        check.update(Array("123456789".utf8))
        #expect(check.value == 0xCBF4_3926)
    }

    @Test func checksumCoversTheTensorTable() throws {
        // Reshaping [2, 3] to [3, 2] leaves the data bytes as they are: only the table changes.
        let bytes = quantized.serialized()
        let reshaped = replacing("\"dtype\":\"I8\",\"shape\":[2,3]", with: "\"dtype\":\"I8\",\"shape\":[3,2]", in: bytes)
        #expect(reshaped != bytes)
        #expect(throws: ModelFileError.checksumMismatch("m")) { try ModelFile(bytes: reshaped, name: "m") }
    }

    @Test func version1FilesKeepTheirChecksumAndBytes() throws {
        let plain = ModelFile(tensors: ["fc.bias": Tensor(shape: [2], values: [0, -1])], config: "{}",
                              vocabulary: ["<pad>", "<unk>"], labels: ["a", "b"])
        #expect(plain.formatVersion == 1)
        let text = String(decoding: plain.serialized(), as: UTF8.self)
        #expect(text.contains("\"format_version\":\"1\""))
        var crc = CRC32()
        crc.update(Safetensors(tensors: plain.tensors).dataSection)
        crc.update("{}".utf8)
        crc.update("[\"<pad>\",\"<unk>\"]".utf8)
        crc.update("[\"a\",\"b\"]".utf8)
        #expect(text.contains("\"checksum\":\"\(crc.hexDigits)\""))
    }

    @Test func integerTensorsInAVersion1FileAreRefused() throws {
        var bytes = replacing("\"format_version\":\"2\"", with: "\"format_version\":\"1\"", in: quantized.serialized())
        // The version 1 checksum leaves the table out, so recompute it as a forger would.
        let container = try Safetensors(bytes: bytes, name: "m")
        let checksum = ModelFile.checksum(version: 1, container: container, config: "{\"arch\":\"pool\"}",
                                          vocabulary: "[\"<pad>\",\"<unk>\"]", labels: "[\"a\",\"b\"]")
        bytes = replacing(container.metadata["checksum"]!, with: checksum, in: bytes)
        #expect(throws: ModelFileError.malformed("m", reason: "integer tensors need format version 2, the file says 1")) {
            try ModelFile(bytes: bytes, name: "m")
        }
    }

    @Test func hashedRowOptionsAreStoredOnlyWhenUsed() throws {
        let plain = ClassifierConfiguration(arch: .pool)
        #expect(!plain.json().contains("buckets"))
        #expect(plain.minimumFormatVersion == 1)
        let ngrams = ClassifierConfiguration(arch: .pool, wordNgrams: 2, buckets: 1000)
        #expect(ngrams.json().contains("\"buckets\":1000"))
        #expect(ngrams.json().contains("\"word_ngrams\":2"))
        #expect(ngrams.minimumFormatVersion == 2)
        #expect(ngrams.hashedRowCount == 1000)
        #expect(try ClassifierConfiguration(json: ngrams.json()) == ngrams)
        #expect(try ClassifierConfiguration(json: plain.json()) == plain)
        let shapes = ngrams.tensorShapes(vocabularySize: 10, labelCount: 2)
        #expect(shapes?["embedding.weight"] == [1010, 64])
    }

    @Test func hashedRowOptionsOutOfRangeAreNamed() {
        #expect(ClassifierConfiguration(arch: .lstm, wordNgrams: 2).problem(labelCount: 2)
                == "word n-grams need the pool arch, not lstm")
        #expect(ClassifierConfiguration(arch: .pool, minn: 3).problem(labelCount: 2)
                == "minn and maxn must be given together")
        #expect(ClassifierConfiguration(arch: .cnn, minn: 4, maxn: 3).problem(labelCount: 2) != nil)
        #expect(ClassifierConfiguration(arch: .pool, wordNgrams: 2, buckets: 0).problem(labelCount: 2)
                == "buckets 0 is outside 1...100000000")
        #expect(ClassifierConfiguration(arch: .gru, minn: 3, maxn: 6).problem(labelCount: 2) == nil)
        #expect(ClassifierConfiguration(arch: .pool, minn: 2, maxn: 3, tokenizer: Tokenizer(level: .char))
                    .problem(labelCount: 2) == "subwords need word or space tokens, not characters")
    }
}

/// `bytes` with the first occurrence of `old` replaced by `new`, an edit of the same length.
private func replacing(_ old: String, with new: String, in bytes: [UInt8]) -> [UInt8] {
    let (from, to) = (Array(old.utf8), Array(new.utf8))
    precondition(from.count == to.count)
    guard let start = (0...(bytes.count - from.count)).first(where: { Array(bytes[$0..<$0 + from.count]) == from }) else {
        return bytes
    }
    var edited = bytes
    edited.replaceSubrange(start..<start + from.count, with: to)
    return edited
}
