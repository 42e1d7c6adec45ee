import Testing
@testable import TextClf

/// The parity rule of SPEC §4: |a − b| ≤ 1e-5 · max(|b|, 1e-2), with b the reference value.
enum Parity {
    static let relative: Float = 1e-5
    static let floor: Float = 1e-2

    /// The worst ratio |a − b| / (1e-5 · max(|b|, 1e-2)) over all elements; ≤ 1 passes.
    static func worstRatio(_ actual: [Float], _ expected: [Float]) -> Float {
        precondition(actual.count == expected.count, "compared \(actual.count) values with \(expected.count)")
        var worst: Float = 0
        for (a, b) in zip(actual, expected) {
            let ratio = abs(a - b) / (relative * max(abs(b), floor))
            worst = max(worst, ratio.isNaN ? .infinity : ratio)
        }
        return worst
    }

    /// The worst absolute difference, for messages.
    static func worstAbsolute(_ actual: [Float], _ expected: [Float]) -> Float {
        zip(actual, expected).map { abs($0 - $1) }.max() ?? 0
    }

    /// Records a test issue when `actual` differs from `expected` beyond the parity rule.
    static func expect(
        _ actual: [Float], _ expected: [Float], _ what: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(actual.count == expected.count, "\(what): \(actual.count) values, expected \(expected.count)", sourceLocation: sourceLocation)
        guard actual.count == expected.count else { return }
        let ratio = worstRatio(actual, expected)
        #expect(ratio <= 1, "\(what): worst error \(worstAbsolute(actual, expected)) is \(ratio)× the tolerance", sourceLocation: sourceLocation)
    }
}

/// Finite-difference gradient checks. The layers compute in Float32, so the step is large
/// (1e-2) to keep rounding out of the difference quotient, and the tolerance is set to match.
enum GradientCheck {
    /// dL/dθᵢ ≈ (L(θ + h eᵢ) − L(θ − h eᵢ)) / 2h for every element of `parameters`.
    static func numerical(
        _ parameters: inout [Float], step h: Float = 1e-2, loss: ([Float]) -> Double
    ) -> [Float] {
        var gradient = [Float](repeating: 0, count: parameters.count)
        for i in parameters.indices {
            let saved = parameters[i]
            parameters[i] = saved + h
            let plus = loss(parameters)
            parameters[i] = saved - h
            let minus = loss(parameters)
            parameters[i] = saved
            gradient[i] = Float((plus - minus) / Double(2 * h))
        }
        return gradient
    }

    /// Records a test issue unless analytic and numerical gradients agree:
    /// |a − n| ≤ absolute + relative · max(|a|, |n|) for every element.
    static func expectClose(
        _ analytic: [Float], _ numerical: [Float], _ what: String,
        absolute: Float = 1e-3, relative: Float = 1e-2,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(analytic.count == numerical.count, "\(what): sizes differ", sourceLocation: sourceLocation)
        for (i, (a, n)) in zip(analytic, numerical).enumerated() where abs(a - n) > absolute + relative * max(abs(a), abs(n)) {
            Issue.record("\(what)[\(i)]: analytic \(a), numerical \(n)", sourceLocation: sourceLocation)
            return
        }
    }
}
