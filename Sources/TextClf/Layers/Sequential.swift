/// One stage of a `Sequential` stack: an affine layer or an elementwise activation.
public enum DenseLayer: Sendable {
    /// y = x Wᵀ + b, with parameters.
    case linear(Linear)
    /// y = f(x) elementwise, without parameters.
    case activation(Activation)
}

/// Layers applied in order to a batch of dense feature vectors, as PyTorch's `nn.Sequential`
/// of `nn.Linear` and activation modules: x [B, In] → y [B, Out], no embedding and no sequence.
///
///     var generator = SeededGenerator(seed: 1)
///     var mlp = Sequential(sizes: [64, 10, 10], activation: .sigmoid, generator: &generator)
///     let pass = mlp.forward(x)                               // pass.output: logits [B, 10]
///     let loss = Losses.softmaxCrossEntropy(logits: pass.output, targets: y)
///     _ = mlp.backward(loss.logitsGradient, pass.cache)       // accumulates every gradient
///     optimizer.step(&mlp, module: "", learningRate: 0.01)    // a ParameterOptimizer
///     mlp.zeroGradients()
///
/// Parameters carry `nn.Sequential`'s `state_dict` names, the stage index first (`0.weight`,
/// `0.bias`, `2.weight`, …), so `parameterTensors` saved as safetensors load into the
/// PyTorch module of the same shape.
public struct Sequential: ParameterContainer, Sendable {
    /// The stages, applied first to last.
    public var layers: [DenseLayer]

    /// What backward needs: each stage's own cache, in stage order.
    public struct Cache: Sendable {
        fileprivate enum Stage: Sendable {
            case linear(Linear.Cache)
            case activation(Activation.Cache)
        }
        fileprivate let stages: [Stage]
    }

    /// The result of `forward`: the output and the cache that `backward` needs.
    public struct Pass: Sendable {
        /// y [B, Out].
        public let output: Matrix
        /// Each stage's cache.
        public let cache: Cache
    }

    /// A stack of the given stages; consecutive `Linear` layers must agree on their sizes.
    public init(_ layers: [DenseLayer]) {
        var width: Int?
        for case .linear(let linear) in layers {
            precondition(width == nil || width == linear.inputSize,
                         "a Linear layer takes \(linear.inputSize) inputs after one of \(width!) outputs")
            width = linear.outputSize
        }
        self.layers = layers
    }

    /// Linear → activation → Linear → … → Linear through the given widths (at least two), each
    /// `Linear` initialised as PyTorch does, drawn in stage order. No activation follows the
    /// last layer: its outputs are the logits a loss takes.
    /// - Parameters:
    ///   - sizes: In, the hidden widths, then Out; `[64, 10]` is one layer (softmax regression
    ///     with cross entropy).
    ///   - activation: the nonlinearity between layers.
    ///   - generator: draws the weights.
    public init(sizes: [Int], activation: Activation, generator: inout SeededGenerator) {
        precondition(sizes.count >= 2 && sizes.allSatisfy { $0 >= 1 }, "need at least two positive sizes")
        var layers: [DenseLayer] = []
        for i in 0..<sizes.count - 1 {
            if i > 0 { layers.append(.activation(activation)) }
            layers.append(.linear(Linear(inputSize: sizes[i], outputSize: sizes[i + 1], generator: &generator)))
        }
        self.init(layers)
    }

    /// Runs every stage on x [B, In].
    public func forward(_ x: Matrix) -> Pass {
        var y = x
        var stages: [Cache.Stage] = []
        stages.reserveCapacity(layers.count)
        for layer in layers {
            switch layer {
            case .linear(let linear):
                let (output, cache) = linear.forward(y)
                y = output
                stages.append(.linear(cache))
            case .activation(let activation):
                let (output, cache) = activation.forward(y)
                y = output
                stages.append(.activation(cache))
            }
        }
        return Pass(output: y, cache: Cache(stages: stages))
    }

    /// The output for x [B, In], when no gradient is needed.
    public func callAsFunction(_ x: Matrix) -> Matrix {
        forward(x).output
    }

    /// Back-propagates dL/dy [B, Out] through every stage, last to first, adding into each
    /// `Linear`'s gradients.
    /// - Returns: dL/dx [B, In].
    @discardableResult
    public mutating func backward(_ outputGradient: Matrix, _ cache: Cache) -> Matrix {
        precondition(cache.stages.count == layers.count, "the cache is from a stack of another depth")
        var gradient = outputGradient
        for index in layers.indices.reversed() {
            switch cache.stages[index] {
            case .linear(let stageCache):
                gradient = withLinear(at: index) { $0.backward(gradient, stageCache) }
            case .activation(let stageCache):
                guard case .activation(let activation) = layers[index] else {
                    preconditionFailure("the cache of stage \(index) is from another kind of layer")
                }
                gradient = activation.backward(gradient, stageCache)
            }
        }
        return gradient
    }

    /// Every `Linear`'s weight and bias as `INDEX.weight`, `INDEX.bias`, in stage order.
    public mutating func forEachParameter(
        _ body: (_ name: String, _ shape: [Int], _ value: inout [Float], _ gradient: inout [Float]) -> Void
    ) {
        for index in layers.indices {
            guard case .linear = layers[index] else { continue }
            withLinear(at: index) { linear in linear.forEachParameter { body("\(index).\($0)", $1, &$2, &$3) } }
        }
    }

    /// Runs `body` on the `Linear` at `index` in place: the stage is emptied meanwhile, so the
    /// layer's arrays have one owner and are mutated, not copied.
    private mutating func withLinear<Result>(at index: Int, _ body: (inout Linear) -> Result) -> Result {
        guard case .linear(var linear) = layers[index] else {
            preconditionFailure("stage \(index) is not a Linear layer (the cache is from another stack)")
        }
        layers[index] = .activation(.relu)
        defer { layers[index] = .linear(linear) }
        return body(&linear)
    }
}
