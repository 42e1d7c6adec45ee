/// Applies an optimizer to a network: its rule to every dense parameter, with one state per
/// parameter in the network's fixed parameter order, and the sparse rule of the same family to
/// the embedding's touched rows (SparseAdam for the Adam family, plain SGD for SGD, never
/// weight decay there, as SPEC §4 says).
final class ParameterUpdater {
    private let dense: any DenseUpdating
    private let kind: TrainingOptions.OptimizerKind
    private var embeddingState: AdamState?

    init(options: TrainingOptions) {
        kind = options.optimizer
        switch options.optimizer {
        case .sgd:
            dense = DenseUpdater(SGD(momentum: Float(options.momentum), nesterov: options.nesterov,
                                     weightDecay: Float(options.weightDecay)))
        case .adam:
            dense = DenseUpdater(Adam(weightDecay: Float(options.weightDecay)))
        case .adamw:
            dense = DenseUpdater(AdamW(weightDecay: Float(options.weightDecay)))
        }
    }

    func step(_ network: inout Network, learningRate: Float, updateEmbedding: Bool) {
        dense.step(&network, learningRate: learningRate)
        guard updateEmbedding else { return }
        let gradient = network.embedding.gradient
        switch kind {
        case .sgd:
            SparseSGD().update(&network.embedding.weight.storage, gradient: gradient, learningRate: learningRate)
        case .adam, .adamw:
            let optimizer = SparseAdam()
            var state = embeddingState ?? optimizer.makeState(count: network.embedding.weight.count)
            embeddingState = nil  // hand the buffers over, so updating them does not copy
            optimizer.update(&network.embedding.weight.storage, gradient: gradient, state: &state, learningRate: learningRate)
            embeddingState = state
        }
    }
}

private protocol DenseUpdating {
    func step(_ network: inout Network, learningRate: Float)
}

private final class DenseUpdater<Rule: Optimizer>: DenseUpdating {
    let rule: Rule
    var states: [Rule.State] = []

    init(_ rule: Rule) {
        self.rule = rule
    }

    func step(_ network: inout Network, learningRate: Float) {
        var index = 0
        network.forEachDenseParameter { _, _, value, gradient in
            if states.count == index { states.append(rule.makeState(count: value.count)) }
            rule.update(&value, gradient: gradient, state: &states[index], learningRate: learningRate)
            index += 1
        }
    }
}
