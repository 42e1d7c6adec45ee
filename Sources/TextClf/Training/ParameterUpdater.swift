/// Applies the chosen optimizer to a network: its rule to every dense parameter (one state per
/// parameter name), and the sparse rule of the same family to the embedding's touched rows
/// (SparseAdam for the Adam family, plain SGD for SGD, never weight decay there, SPEC §4).
final class ParameterUpdater {
    var dense: any NetworkStepping
    let kind: TrainingOptions.OptimizerKind
    var embeddingState: AdamState?

    init(options: TrainingOptions) {
        kind = options.optimizer
        switch options.optimizer {
        case .sgd:
            dense = ParameterOptimizer(SGD(momentum: Float(options.momentum), nesterov: options.nesterov,
                                           weightDecay: Float(options.weightDecay)))
        case .adam:
            dense = ParameterOptimizer(Adam(weightDecay: Float(options.weightDecay)))
        case .adamw:
            dense = ParameterOptimizer(Adam.adamW(weightDecay: Float(options.weightDecay)))
        }
    }

    /// One step: the dense rule on every dense parameter, then, unless `embeddingGradients` is
    /// nil (a frozen embedding), the sparse rule on the embedding rows they touch (parts with
    /// disjoint rows, applied in parallel).
    func step(_ network: inout Network, embeddingGradients: [SparseRowGradient]?, learningRate: Float) {
        dense.step(&network, learningRate: learningRate)
        guard let embeddingGradients else { return }
        switch kind {
        case .sgd:
            SparseSGD().update(&network.embedding.weight.storage, gradients: embeddingGradients, learningRate: learningRate)
        case .adam, .adamw:
            let optimizer = SparseAdam()
            var state = embeddingState ?? optimizer.makeState(count: network.embedding.weight.count)
            embeddingState = nil  // hand the moments over, so updating them does not copy them
            optimizer.update(&network.embedding.weight.storage, gradients: embeddingGradients, state: &state,
                             learningRate: learningRate)
            embeddingState = state
        }
    }
}

protocol NetworkStepping {
    mutating func step(_ network: inout Network, learningRate: Float)
}

extension ParameterOptimizer: NetworkStepping {
    mutating func step(_ network: inout Network, learningRate: Float) {
        step(&network, module: "", learningRate: learningRate)
    }
}
