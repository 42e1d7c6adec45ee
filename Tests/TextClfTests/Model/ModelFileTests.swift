import Foundation
import Testing
@testable import TextClf

@Suite("model file")
struct ModelFileTests {
    let model = ModelFile(
        tensors: ["fc.weight": Tensor(shape: [2, 2], values: [1, 2, 3, 4]), "fc.bias": Tensor(shape: [2], values: [0, -1])],
        config: "{\"arch\":\"pool\"}", vocabulary: ["<pad>", "<unk>", "tab\there", "好"], labels: ["ham", "spam"])

    @Test func crc32MatchesZlib() {
        var crc = CRC32()
        crc.update(Array("123456789".utf8))
        #expect(crc.hexDigits == "cbf43926")
    }

    @Test func roundTripKeepsEverything() throws {
        let read = try ModelFile(bytes: model.serialized(), name: "m")
        #expect(read.tensors == model.tensors)
        #expect(read.config == model.config)
        #expect(read.vocabulary == model.vocabulary)
        #expect(read.labels == model.labels)
        #expect(model.serialized() == read.serialized())
    }

    @Test func flippedTensorBitIsACorruption() {
        var bytes = model.serialized()
        bytes[bytes.count - 2] ^= 0x10
        #expect(throws: ModelFileError.checksumMismatch("m")) { try ModelFile(bytes: bytes, name: "m") }
    }

    @Test func truncatedFileIsReported() {
        let bytes = model.serialized()
        #expect(throws: ModelFileError.truncated("m")) { try ModelFile(bytes: Array(bytes.dropLast(5)), name: "m") }
        #expect(throws: ModelFileError.truncated("m")) { try ModelFile(bytes: Array(bytes.prefix(100)), name: "m") }
    }

    @Test func otherFilesAreNotModels() {
        #expect(throws: ModelFileError.notAModel("m")) { try ModelFile(bytes: Array("hello world, not a model".utf8), name: "m") }
        let plain = Safetensors(tensors: ["w": Tensor(shape: [1], values: [1])]).serialized()
        #expect(throws: ModelFileError.notAModel("m")) { try ModelFile(bytes: plain, name: "m") }
    }

    @Test func newerVersionIsRefusedNamingBothVersions() throws {
        var container = try Safetensors(bytes: model.serialized(), name: "m")
        container.metadata["format_version"] = "3"
        #expect(throws: ModelFileError.unsupportedVersion("m", found: "3", supported: 2)) {
            try ModelFile(bytes: container.serialized(), name: "m")
        }
    }
}
