/// Stacked, optionally bidirectional recurrent layers over a padded batch, computed as PyTorch's
/// `nn.RNN` / `nn.LSTM` / `nn.GRU` (`batch_first=True`) compute a `pack_padded_sequence` input.
///
/// Input [B·T, D] with lengths (a `SequenceBatch`), output [B·T, H·dirs] with dirs = 2 when
/// bidirectional (forward direction in the first H columns): every direction of every layer runs
/// over the real steps only, the reverse direction starting at each sequence's last real step,
/// and padded steps of the output are zero. Between stacked layers, dropout with probability p
/// and 1/(1−p) scaling is applied to each layer's output except the last one's, in training only.
///
/// Parameters are listed in `state_dict` order under PyTorch's names (`weight_ih_l0`,
/// `weight_hh_l0`, `bias_ih_l0`, `bias_hh_l0`, `weight_ih_l0_reverse`, …, `weight_ih_l1`, …), all
/// initialised uniform in ±1/√H.
///
/// Internally sequences are sorted by length, so the running ones form a prefix at every step:
/// each step costs one [running, H]·[H, G·H] product, and the input projection of all steps is
/// one product before the loop. A classifier runs the inference pass instead
/// (`RecurrentStack+Inference.swift`), which gives the same bits and keeps nothing for backward.
public struct RecurrentStack<Cell: RecurrentCell>: ParameterContainer, Sendable {
    /// D, the features of each input step.
    public let inputSize: Int
    /// H, the hidden units of each direction.
    public let hiddenSize: Int
    /// Stacked layers; layer l + 1 reads layer l's output.
    public let layers: Int
    /// Whether each layer also runs from every sequence's last real step back to its first.
    public let bidirectional: Bool
    /// Probability of zeroing an input of layers 1, 2, … in training.
    public let dropout: Float
    /// One entry per layer and direction: index `layer * directions + direction`.
    public var weights: [RecurrentWeights]
    /// W_ih and W_hh of every entry of `weights` in int8, set by ``useInt8Weights(_:)``: the
    /// evaluation forward pass then runs both products in int8 (inference only; changing
    /// `weights` later does not update them).
    @_spi(Internals) public private(set) var int8Weights: [RecurrentInt8Weights]?

    /// dirs: 2 when bidirectional, else 1.
    public var directions: Int { bidirectional ? 2 : 1 }
    /// H·dirs, the width of the output.
    public var outputSize: Int { hiddenSize * directions }

    /// What backward needs from one forward call.
    public struct Cache: Sendable {
        let layout: PackedLayout
        let batchRows: Int
        /// Per layer, per direction.
        let directions: [[RecurrentWorkspace]]
        /// Per layer, the dropout mask its input was multiplied by (empty when none was applied).
        let masks: [[Float]]
    }

    /// A stack with freshly drawn parameters.
    /// - Parameters:
    ///   - inputSize: D, the features of each input step.
    ///   - hiddenSize: H.
    ///   - layers: stacked layers, at least 1.
    ///   - bidirectional: whether each layer also runs from the last step back.
    ///   - dropout: p in [0, 1) between stacked layers.
    ///   - generator: draws the weights in PyTorch's parameter order.
    public init(
        inputSize: Int, hiddenSize: Int, layers: Int = 1, bidirectional: Bool = false,
        dropout: Float = 0, generator: inout SeededGenerator
    ) {
        precondition(inputSize >= 1 && hiddenSize >= 1 && layers >= 1, "recurrent sizes must be positive")
        precondition(dropout >= 0 && dropout < 1, "dropout must be in [0, 1)")
        self.inputSize = inputSize
        self.hiddenSize = hiddenSize
        self.layers = layers
        self.bidirectional = bidirectional
        self.dropout = dropout
        var weights: [RecurrentWeights] = []
        for layer in 0..<layers {
            for _ in 0..<(bidirectional ? 2 : 1) {
                weights.append(RecurrentWeights(
                    gates: Cell.arithmetic.gateCount, inputSize: layer == 0 ? inputSize : hiddenSize * (bidirectional ? 2 : 1),
                    hiddenSize: hiddenSize, generator: &generator))
            }
        }
        self.weights = weights
    }

    /// Lists every tensor under PyTorch's name (`weight_ih_l0`, …; see the type's description)
    /// with its shape, value and gradient, in `state_dict` order.
    public mutating func forEachParameter(
        _ body: (_ name: String, _ shape: [Int], _ value: inout [Float], _ gradient: inout [Float]) -> Void
    ) {
        for index in weights.indices {
            let suffix = "_l\(index / directions)" + (index % directions == 1 ? "_reverse" : "")
            weights[index].forEachParameter(suffix: suffix, body)
        }
    }

    /// Runs the evaluation forward pass on `int8`, one entry per entry of `weights` with the same
    /// shapes (for instance `weights` quantized, or a quantized file's matrices).
    @_spi(Internals) public mutating func useInt8Weights(_ int8: [RecurrentInt8Weights]) {
        precondition(int8.count == weights.count && zip(int8, weights).allSatisfy {
            $0.input.rows == $1.inputWeight.rows && $0.input.cols == $1.inputWeight.cols
                && $0.hidden.rows == $1.hiddenWeight.rows && $0.hidden.cols == $1.hiddenWeight.cols
        }, "int8 recurrent weights do not match the stack's shapes")
        int8Weights = int8
    }

    /// The evaluation forward pass (no dropout).
    public func forward(_ input: SequenceBatch) -> (SequenceBatch, Cache) {
        var unused = SeededGenerator(seed: 0)
        return forward(input, training: false, generator: &unused)
    }

    /// Runs the stack.
    /// - Parameters:
    ///   - input: [B·T, D] with lengths.
    ///   - training: whether dropout between layers applies.
    ///   - generator: draws the dropout masks, one uniform per input element of layers 1, 2, …
    ///     in the packed order (untouched when no dropout applies).
    /// - Returns: the output [B·T, H·dirs], padded steps zero, and the cache for `backward`.
    public func forward(
        _ input: SequenceBatch, training: Bool, generator: inout SeededGenerator
    ) -> (SequenceBatch, Cache) {
        precondition(input.features == inputSize, "recurrent input has \(input.features) features, layer expects \(inputSize)")
        precondition(input.batchSize > 0, "recurrent input has no sequences")
        precondition(!training || int8Weights == nil, "int8 weights are for inference; train the float weights")
        let layout = PackedLayout(lengths: input.lengths, maxLength: input.maxLength)
        let N = layout.rowCount, width = outputSize
        var layerInput = FloatBuffer(uninitialized: N * inputSize)
        gatherRows(input.values.storage, sourceStride: inputSize, rows: layout.paddedRow,
                   into: layerInput.base, destinationStride: inputSize, width: inputSize)
        var workspaces: [[RecurrentWorkspace]] = []
        var masks: [[Float]] = []
        for layer in 0..<layers {
            let In = layer == 0 ? inputSize : width
            var mask: [Float] = []
            if layer > 0 && training && dropout > 0 {
                mask = Self.dropoutMask(count: N * In, probability: dropout, generator: &generator)
                // A copy: the layer below keeps its output for its backward.
                layerInput = layerInput.copy()
                for k in 0..<N * In { layerInput.base[k] *= mask[k] }
            }
            masks.append(mask)
            let direction = self.direction(layout: layout, inputSize: In)
            let forward = direction.forward(layerInput, weights: weights[layer * directions],
                                            int8: int8Weights?[layer * directions])
            var layerWorkspaces = [forward]
            if bidirectional {
                let reverse = direction.forward(reversedRows(layerInput, layout: layout, width: In), weights: weights[layer * directions + 1],
                                                int8: int8Weights?[layer * directions + 1])
                layerWorkspaces.append(reverse)
                layerInput = joined(forward.output, reverse.output, layout: layout)
            } else {
                layerInput = forward.output
            }
            workspaces.append(layerWorkspaces)
        }
        var output = Matrix(rows: input.values.rows, cols: width)
        scatterRows(layerInput.base, sourceStride: width, rows: layout.paddedRow,
                    into: &output.storage, destinationStride: width, width: width)
        let cache = Cache(layout: layout, batchRows: input.values.rows, directions: workspaces, masks: masks)
        return (SequenceBatch(values: output, lengths: input.lengths, maxLength: input.maxLength), cache)
    }

    /// Back-propagates dL/doutput ([B·T, H·dirs]; padded rows are ignored), adding into the
    /// parameter gradients.
    /// - Returns: dL/dinput, [B·T, D], zero at padded steps.
    public mutating func backward(_ outputGradient: Matrix, _ cache: Cache) -> Matrix {
        let layout = cache.layout, N = layout.rowCount, H = hiddenSize, width = outputSize
        precondition(outputGradient.rows == cache.batchRows && outputGradient.cols == width,
                     "recurrent output gradient is [\(outputGradient.rows), \(outputGradient.cols)], expected [\(cache.batchRows), \(width)]")
        var upstream = FloatBuffer(uninitialized: N * width)
        gatherRows(outputGradient.storage, sourceStride: width, rows: layout.paddedRow,
                   into: upstream.base, destinationStride: width, width: width)
        for layer in (0..<layers).reversed() {
            let In = layer == 0 ? inputSize : width
            let direction = self.direction(layout: layout, inputSize: In)
            let inputGradient: FloatBuffer
            if bidirectional {
                let forwardGradient = FloatBuffer(uninitialized: N * H), reverseGradient = FloatBuffer(uninitialized: N * H)
                copyRows(upstream.base, sourceStride: width, count: N,
                         into: forwardGradient.base, destinationStride: H, width: H)
                gatherRows(upstream.base + H, sourceStride: width, rows: layout.reverseRow,
                           into: reverseGradient.base, destinationStride: H, width: H)
                inputGradient = direction.backward(forwardGradient, cache.directions[layer][0],
                                                   weights: &weights[layer * directions])
                let reverseInputGradient = direction.backward(reverseGradient, cache.directions[layer][1],
                                                              weights: &weights[layer * directions + 1])
                scatterAddRows(reverseInputGradient.base, sourceStride: In, rows: layout.reverseRow,
                               into: inputGradient.base, destinationStride: In, width: In)
            } else {
                inputGradient = direction.backward(upstream, cache.directions[layer][0], weights: &weights[layer])
            }
            let mask = cache.masks[layer]
            if !mask.isEmpty {
                for k in 0..<N * In { inputGradient.base[k] *= mask[k] }
            }
            upstream = inputGradient
        }
        var result = Matrix(rows: cache.batchRows, cols: inputSize)
        scatterRows(upstream.base, sourceStride: inputSize, rows: layout.paddedRow,
                    into: &result.storage, destinationStride: inputSize, width: inputSize)
        return result
    }

    /// A bidirectional layer's output [N, H·2], forward order: the forward direction's rows
    /// ([N, H], forward order) beside the reverse direction's ([N, H], reverse order).
    func joined(_ forward: FloatBuffer, _ reverse: FloatBuffer, layout: PackedLayout) -> FloatBuffer {
        let N = layout.rowCount, H = hiddenSize, width = outputSize
        let output = FloatBuffer(uninitialized: N * width)
        copyRows(forward.base, sourceStride: H, count: N, into: output.base, destinationStride: width, width: H)
        scatterRows(reverse.base, sourceStride: H, rows: layout.reverseRow,
                    into: output.base + H, destinationStride: width, width: H)
        return output
    }

    /// The time loops of one direction of a layer reading `inputSize` features.
    func direction(layout: PackedLayout, inputSize: Int) -> RecurrentDirection {
        RecurrentDirection(cell: Cell.arithmetic, layout: layout, inputSize: inputSize, hiddenSize: hiddenSize)
    }

    /// Inverted-dropout multipliers: 0 with probability p, else 1/(1−p), one draw per element.
    static func dropoutMask(count: Int, probability p: Float, generator: inout SeededGenerator) -> [Float] {
        let kept = 1 / (1 - p)
        return (0..<count).map { _ in generator.nextUniform() < p ? 0 : kept }
    }
}
