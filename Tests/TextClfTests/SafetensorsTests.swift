import Foundation
import Testing
@testable import TextClf

@Suite("safetensors")
struct SafetensorsTests {
    @Test func roundTripKeepsTensorsAndMetadata() throws {
        let file = Safetensors(
            tensors: ["fc.weight": Tensor(shape: [2, 3], values: [1, -2, 3.5, 0, .pi, -1e-7]),
                      "fc.bias": Tensor(shape: [2], values: [0.25, -0.5])],
            metadata: ["format": "textclf", "config": "{\"a\":\"b\\n\"}"])
        let read = try Safetensors(bytes: file.serialized(), name: "memory")
        #expect(read.tensors == file.tensors)
        #expect(read.metadata == file.metadata)
    }

    @Test func serializationIsCanonical() {
        let a = Safetensors(tensors: ["b": Tensor(shape: [1], values: [1]), "a": Tensor(shape: [1], values: [2])])
        var b = Safetensors()
        b.tensors["a"] = Tensor(shape: [1], values: [2])
        b.tensors["b"] = Tensor(shape: [1], values: [1])
        #expect(a.serialized() == b.serialized())
        let header = String(decoding: a.serialized()[8...], as: UTF8.self)
        #expect(header.hasPrefix("{\"a\":{\"data_offsets\":[0,4]"))
    }

    @Test func truncatedFileIsRefused() {
        let bytes = Safetensors(tensors: ["w": Tensor(shape: [4], values: [1, 2, 3, 4])]).serialized()
        #expect(throws: SafetensorsError.truncated("t")) {
            try Safetensors(bytes: Array(bytes.dropLast(3)), name: "t")
        }
        #expect(throws: SafetensorsError.truncated("t")) {
            try Safetensors(bytes: [1, 0, 0], name: "t")
        }
    }
}
