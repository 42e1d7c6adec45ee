@testable import TextClf

/// Small random batches and helpers shared by the sequence layers' gradient checks.
enum SequenceTestData {
    /// A [B·T, D] batch with random real steps and zero padded steps.
    static func batch(lengths: [Int], maxLength T: Int, features D: Int, seed: UInt64) -> SequenceBatch {
        var generator = SeededGenerator(seed: seed)
        var values = Matrix(rows: lengths.count * T, cols: D)
        for (b, length) in lengths.enumerated() {
            for t in 0..<length {
                for d in 0..<D { values[b * T + t, d] = generator.nextUniform(-1, 1) }
            }
        }
        return SequenceBatch(values: values, lengths: lengths, maxLength: T)
    }

    static func random(rows: Int, cols: Int, seed: UInt64) -> Matrix {
        var generator = SeededGenerator(seed: seed)
        return Matrix(rows: rows, cols: cols, storage: (0..<rows * cols).map { _ in generator.nextUniform(-1, 1) })
    }

    /// Σ a·b in Double, the scalar loss whose gradient with respect to a is b.
    static func dot(_ a: Matrix, _ b: Matrix) -> Double {
        zip(a.storage, b.storage).reduce(0) { $0 + Double($1.0) * Double($1.1) }
    }

    /// The analytic gradients of every parameter, by name.
    static func gradients<Layer: ParameterContainer>(of layer: inout Layer) -> [(String, [Float])] {
        var result: [(String, [Float])] = []
        layer.forEachParameter { name, _, _, gradient in result.append((name, gradient)) }
        return result
    }

    /// The values of the parameter called `name`.
    static func parameter<Layer: ParameterContainer>(_ name: String, of layer: inout Layer) -> [Float] {
        var result: [Float] = []
        layer.forEachParameter { candidate, _, value, _ in if candidate == name { result = value } }
        return result
    }

    /// A copy of `layer` whose parameter `name` holds `values`.
    static func with<Layer: ParameterContainer>(_ layer: Layer, _ name: String, _ values: [Float]) -> Layer {
        var copy = layer
        copy.forEachParameter { candidate, _, value, _ in if candidate == name { value = values } }
        return copy
    }

    /// The entries of a [B·T, D] gradient at real steps only.
    static func realRows(_ matrix: Matrix, lengths: [Int], maxLength T: Int) -> [Float] {
        var result: [Float] = []
        for (b, length) in lengths.enumerated() {
            result += matrix.storage[(b * T) * matrix.cols..<(b * T + length) * matrix.cols]
        }
        return result
    }

    /// The entries at padded steps.
    static func paddedRows(_ matrix: Matrix, lengths: [Int], maxLength T: Int) -> [Float] {
        var result: [Float] = []
        for (b, length) in lengths.enumerated() {
            result += matrix.storage[(b * T + length) * matrix.cols..<(b + 1) * T * matrix.cols]
        }
        return result
    }
}
