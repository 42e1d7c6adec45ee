import Foundation
import Testing
@testable import TextClf

/// The vectorized Adam loops against the formulas written out in Double, on sizes that use
/// both the 8-wide body and the scalar tail (the PyTorch fixtures are smaller).
@Suite("Adam kernels")
struct AdamKernelTests {
    @Test func denseAdamMatchesItsFormulaOnLongVectors() {
        var rng = SeededGenerator(seed: 51)
        let count = 77
        var theta = (0..<count).map { _ in rng.nextUniform(-1, 1) }
        var expected = theta.map(Double.init)
        var m = [Double](repeating: 0, count: count), v = m
        let rule = Adam.adamW(weightDecay: 0.1)
        var state = rule.makeState(count: count)
        for step in 1...3 {
            let g = (0..<count).map { _ in rng.nextUniform(-1, 1) }
            rule.update(&theta, gradient: g, state: &state, learningRate: 0.01)
            let c1 = 1 - pow(0.9, Double(step)), c2 = 1 - pow(0.999, Double(step))
            for i in 0..<count {
                expected[i] *= 1 - 0.01 * 0.1
                m[i] = 0.9 * m[i] + 0.1 * Double(g[i])
                v[i] = 0.999 * v[i] + 0.001 * Double(g[i]) * Double(g[i])
                expected[i] -= 0.01 / c1 * m[i] / (v[i].squareRoot() / c2.squareRoot() + 1e-8)
            }
            Parity.expect(theta, expected.map(Float.init), "AdamW step \(step)")
        }
    }

    @Test func sparseAdamMatchesItsFormulaOnWideRows() {
        var rng = SeededGenerator(seed: 52)
        let V = 5, D = 21
        var table = (0..<V * D).map { _ in rng.nextUniform(-1, 1) }
        var expected = table.map(Double.init)
        var m = [Double](repeating: 0, count: V * D), v = m
        var state = SparseAdam().makeState(count: V * D)
        for step in 1...3 {
            var gradient = SparseRowGradient(rowCount: V, dimension: D)
            let rows = step == 2 ? [1, 4] : [3, 1]
            var g = [Double](repeating: 0, count: V * D)
            for row in rows {
                let values = (0..<D).map { _ in rng.nextUniform(-1, 1) }
                values.withUnsafeBufferPointer { gradient.add(row: row, $0.baseAddress!) }
                for j in 0..<D { g[row * D + j] = Double(values[j]) }
            }
            SparseAdam().update(&table, gradient: gradient, state: &state, learningRate: 0.05)
            let c1 = 1 - pow(0.9, Double(step)), c2 = 1 - pow(0.999, Double(step))
            for row in rows {
                for j in 0..<D {
                    let i = row * D + j
                    m[i] = 0.9 * m[i] + 0.1 * g[i]
                    v[i] = 0.999 * v[i] + 0.001 * g[i] * g[i]
                    expected[i] -= 0.05 * c2.squareRoot() / c1 * m[i] / (v[i].squareRoot() + 1e-8)
                }
            }
            Parity.expect(table, expected.map(Float.init), "SparseAdam step \(step)")
        }
    }
}
