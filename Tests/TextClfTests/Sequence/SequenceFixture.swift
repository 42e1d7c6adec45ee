import Foundation
import Testing
@testable import TextClf

/// One `Tests/Fixtures/sequence_*.safetensors` file written by `make_sequence_fixtures.py`.
struct SequenceFixture {
    let file: Safetensors
    let config: [String: Any]

    init(_ name: String) throws {
        file = try Safetensors(contentsOf: TestPaths.fixtures.appendingPathComponent("sequence_\(name).safetensors"))
        let json = try #require(file.metadata["config"], "fixture \(name) has no config")
        config = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
    }

    func tensor(_ name: String) throws -> Tensor {
        try #require(file[name], "fixture lacks tensor \(name)")
    }

    func int(_ key: String) throws -> Int {
        try #require((config[key] as? NSNumber)?.intValue, "config lacks \(key)")
    }

    /// The padded input batch.
    func input() throws -> SequenceBatch {
        let x = try tensor("input")
        let lengths = try tensor("lengths").values.map { Int($0) }
        return SequenceBatch(values: Matrix(rows: x.shape[0] * x.shape[1], cols: x.shape[2], storage: x.values),
                             lengths: lengths, maxLength: x.shape[1])
    }

    /// Copies the fixture's tensors into a layer's parameters, by name, checking shapes.
    func load<Layer: ParameterContainer>(into layer: inout Layer) throws {
        var missing: [String] = []
        layer.forEachParameter { name, shape, value, _ in
            guard let tensor = file[name], tensor.shape == shape else {
                missing.append(name)
                return
            }
            value = tensor.values
        }
        #expect(missing.isEmpty, "fixture lacks or misshapes \(missing)")
    }

    /// Compares every parameter gradient of `layer` with the fixture's `grad.<name>`, returning the worst ratio.
    func expectGradients<Layer: ParameterContainer>(of layer: inout Layer, _ label: String) throws -> Float {
        var worst: Float = 0
        var expected: [(String, [Float], [Float])] = []
        layer.forEachParameter { name, _, _, gradient in
            expected.append((name, gradient, file["grad." + name]?.values ?? []))
        }
        for (name, actual, reference) in expected {
            Parity.expect(actual, reference, "\(label) grad.\(name)")
            if actual.count == reference.count { worst = max(worst, Parity.worstRatio(actual, reference)) }
        }
        return worst
    }
}
