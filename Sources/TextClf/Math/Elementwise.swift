import Foundation

/// Elementwise activations over raw buffers, the form the recurrent gates and the losses use.
/// These entry points are what layers call; the kernels behind them may be vectorized.

/// x ← 1 / (1 + e^(−x)), for `count` values.
public func sigmoidInPlace(_ x: UnsafeMutablePointer<Float>, count: Int) {
    for i in 0..<count {
        x[i] = stableSigmoid(x[i])
    }
}

/// x ← tanh(x), for `count` values.
public func tanhInPlace(_ x: UnsafeMutablePointer<Float>, count: Int) {
    for i in 0..<count {
        x[i] = Foundation.tanh(x[i])
    }
}

/// σ(x) computed without overflow for large |x|.
@inline(__always)
public func stableSigmoid(_ x: Float) -> Float {
    if x >= 0 {
        return 1 / (1 + Foundation.exp(-x))
    }
    let e = Foundation.exp(x)
    return e / (1 + e)
}
