/// Affine map y = x Wᵀ + b. x: [B, In], W: [Out, In], b: [Out], y: [B, Out].
///
/// W and b start uniform in ±1/√In, as PyTorch's `nn.Linear` initialises them
/// (Kaiming-uniform with a = √5), drawn from a `SeededGenerator` weight first, row-major.
public struct Linear: ParameterContainer, Sendable {
    /// W: [Out, In].
    public var weight: Matrix
    /// b: [Out].
    public var bias: [Float]
    /// dL/dW, same shape as W; backward adds into it.
    public var weightGrad: Matrix
    /// dL/db, same shape as b; backward adds into it.
    public var biasGrad: [Float]

    /// What backward needs: the input.
    public struct Cache: Sendable {
        let input: Matrix
    }

    /// In, the width of x.
    public var inputSize: Int { weight.cols }
    /// Out, the width of y.
    public var outputSize: Int { weight.rows }

    /// A layer initialised as PyTorch does.
    public init(inputSize: Int, outputSize: Int, generator: inout SeededGenerator) {
        let bound = 1 / Float(inputSize).squareRoot()
        var weight = Matrix(rows: outputSize, cols: inputSize)
        for i in 0..<weight.count { weight.storage[i] = generator.nextUniform(-bound, bound) }
        let bias = (0..<outputSize).map { _ in generator.nextUniform(-bound, bound) }
        self.init(weight: weight, bias: bias)
    }

    /// A layer with the given weight [Out, In] and bias [Out], gradients zero.
    public init(weight: Matrix, bias: [Float]) {
        precondition(bias.count == weight.rows, "bias has \(bias.count) values, weight has \(weight.rows) rows")
        self.weight = weight
        self.bias = bias
        self.weightGrad = Matrix(rows: weight.rows, cols: weight.cols)
        self.biasGrad = [Float](repeating: 0, count: bias.count)
    }

    /// y = x Wᵀ + b for a batch of rows.
    public func forward(_ x: Matrix) -> (Matrix, Cache) {
        precondition(x.cols == inputSize, "Linear expects \(inputSize) inputs, got \(x.cols)")
        let B = x.rows, In = inputSize, Out = outputSize
        var y = Matrix(rows: B, cols: Out)
        guard B > 0 else { return (y, Cache(input: x)) }
        y.storage.withUnsafeMutableBufferPointer { out in
            for r in 0..<B {
                for j in 0..<Out { out[r * Out + j] = bias[j] }
            }
            x.storage.withUnsafeBufferPointer { xs in
                weight.storage.withUnsafeBufferPointer { w in
                    gemm(.none, .transposed, m: B, n: Out, k: In, a: xs.baseAddress!, lda: In,
                         b: w.baseAddress!, ldb: In, c: out.baseAddress!, ldc: Out, accumulate: true)
                }
            }
        }
        return (y, Cache(input: x))
    }

    /// Adds dL/dW = dyᵀ x into `weightGrad` and dL/db = Σ_rows dy into `biasGrad`; returns
    /// dL/dx = dy W.
    public mutating func backward(_ dy: Matrix, _ cache: Cache) -> Matrix {
        let x = cache.input
        let B = x.rows, In = inputSize, Out = outputSize
        precondition(dy.rows == B && dy.cols == Out, "Linear backward expects dy [\(B), \(Out)]")
        var dx = Matrix(rows: B, cols: In)
        guard B > 0 else { return dx }
        dy.storage.withUnsafeBufferPointer { g in
            x.storage.withUnsafeBufferPointer { xs in
                weightGrad.storage.withUnsafeMutableBufferPointer { dw in
                    gemm(.transposed, .none, m: Out, n: In, k: B, a: g.baseAddress!, lda: Out,
                         b: xs.baseAddress!, ldb: In, c: dw.baseAddress!, ldc: In, accumulate: true)
                }
            }
            weight.storage.withUnsafeBufferPointer { w in
                dx.storage.withUnsafeMutableBufferPointer { out in
                    gemm(.none, .none, m: B, n: In, k: Out, a: g.baseAddress!, lda: Out,
                         b: w.baseAddress!, ldb: In, c: out.baseAddress!, ldc: In, accumulate: false)
                }
            }
        }
        addColumnSums(dy, into: &biasGrad)
        return dx
    }

    /// Calls `body` with `weight` and `bias`, their shapes, values and gradients.
    public mutating func forEachParameter(
        _ body: (_ name: String, _ shape: [Int], _ value: inout [Float], _ gradient: inout [Float]) -> Void
    ) {
        body("weight", [outputSize, inputSize], &weight.storage, &weightGrad.storage)
        body("bias", [outputSize], &bias, &biasGrad)
    }
}
