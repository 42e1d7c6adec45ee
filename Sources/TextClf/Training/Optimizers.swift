import CKernels
import Foundation

/// An update rule for one dense parameter tensor. Optimizers see only the values, their
/// gradient and the rule's own per-parameter state — never layers — so the trainer can walk
/// any `ParameterContainer` and keep one state per parameter name.
public protocol Optimizer: Sendable {
    /// The rule's per-parameter state (moments, momentum buffer).
    associatedtype State: Sendable
    /// The initial state for a parameter of `count` values.
    func makeState(count: Int) -> State
    /// Applies one step with learning rate `learningRate` (after any schedule).
    func update(_ parameter: inout [Float], gradient: [Float], state: inout State, learningRate: Float)
}

/// PyTorch's `torch.optim.SGD`: g ← g + λθ; with momentum μ, b ← g on the first step and
/// b ← μb + g after (dampening 0); the step uses b, or g + μb with Nesterov; θ ← θ − lr·step.
public struct SGD: Optimizer {
    /// μ.
    public var momentum: Float
    /// Whether the step is g + μb (Nesterov) instead of b.
    public var nesterov: Bool
    /// λ, added to the gradient as λθ.
    public var weightDecay: Float

    /// The momentum buffer, created by the first step (public so checkpoints can save it).
    public struct State: Sendable {
        /// b, nil until the first step.
        public var buffer: [Float]?

        /// A state with this buffer.
        public init(buffer: [Float]? = nil) {
            self.buffer = buffer
        }
    }

    /// SGD with PyTorch's defaults (no momentum, no decay).
    public init(momentum: Float = 0, nesterov: Bool = false, weightDecay: Float = 0) {
        precondition(!nesterov || momentum > 0, "Nesterov momentum requires a momentum > 0")
        self.momentum = momentum
        self.nesterov = nesterov
        self.weightDecay = weightDecay
    }

    /// An empty momentum buffer.
    public func makeState(count: Int) -> State { State(buffer: nil) }

    /// One SGD step on `parameter`.
    public func update(_ parameter: inout [Float], gradient: [Float], state: inout State, learningRate: Float) {
        precondition(parameter.count == gradient.count, "parameter and gradient sizes differ")
        var step = gradient
        if weightDecay != 0 {
            for i in step.indices { step[i] += weightDecay * parameter[i] }
        }
        if momentum != 0 {
            if var buffer = state.buffer {
                for i in buffer.indices { buffer[i] = momentum * buffer[i] + step[i] }
                state.buffer = buffer
            } else {
                state.buffer = step
            }
            let buffer = state.buffer!
            if nesterov {
                for i in step.indices { step[i] += momentum * buffer[i] }
            } else {
                step = buffer
            }
        }
        for i in parameter.indices { parameter[i] -= learningRate * step[i] }
    }
}

/// The moments and step count of Adam-type rules, shaped like the parameter (public so
/// checkpoints can save and restore them).
public struct AdamState: Sendable {
    /// Steps taken, t.
    public var step: Int = 0
    /// m, shaped like the parameter.
    public var firstMoment: [Float]
    /// v, shaped like the parameter.
    public var secondMoment: [Float]

    /// Zero moments for `count` values.
    public init(count: Int) {
        firstMoment = [Float](repeating: 0, count: count)
        secondMoment = [Float](repeating: 0, count: count)
    }
}

/// PyTorch's `torch.optim.Adam` (defaults lr 1e-3 set by the caller, β 0.9/0.999, ε 1e-8,
/// weight decay 0, added to the gradient): m ← m + (1−β₁)(g − m), v ← β₂v + (1−β₂)g²,
/// θ ← θ − (lr/(1−β₁ᵗ))·m/(√v/√(1−β₂ᵗ) + ε). With `decoupledWeightDecay` it is
/// `torch.optim.AdamW` (see `adamW`): θ ← θ(1 − lr·λ) first, then the step without decay in
/// the gradient.
public struct Adam: Optimizer {
    /// β₁, the first moment's decay.
    public var beta1: Float
    /// β₂, the second moment's decay.
    public var beta2: Float
    /// ε, added to the denominator.
    public var epsilon: Float
    /// λ.
    public var weightDecay: Float
    /// Whether decay shrinks θ directly (AdamW) instead of adding λθ to the gradient.
    public var decoupledWeightDecay: Bool

    /// Adam with PyTorch's defaults.
    public init(beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8, weightDecay: Float = 0,
                decoupledWeightDecay: Bool = false) {
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        self.decoupledWeightDecay = decoupledWeightDecay
    }

    /// PyTorch's `torch.optim.AdamW`, whose weight decay defaults to 0.01.
    public static func adamW(beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8,
                             weightDecay: Float = 0.01) -> Adam {
        Adam(beta1: beta1, beta2: beta2, epsilon: epsilon, weightDecay: weightDecay, decoupledWeightDecay: true)
    }

    /// Zero moments for `count` values.
    public func makeState(count: Int) -> AdamState { AdamState(count: count) }

    /// One step in PyTorch's order of operations (bias corrections in Double as Python
    /// computes them, then rounded once).
    public func update(_ parameter: inout [Float], gradient: [Float], state: inout AdamState, learningRate: Float) {
        precondition(parameter.count == gradient.count, "parameter and gradient sizes differ")
        state.step += 1
        if decoupledWeightDecay {
            let decay = 1 - learningRate * weightDecay
            for i in parameter.indices { parameter[i] *= decay }
        }
        let gradientDecay = decoupledWeightDecay ? 0 : weightDecay
        let t = Double(state.step)
        let correction1 = 1 - Foundation.pow(Double(beta1), t)
        let correction2 = 1 - Foundation.pow(Double(beta2), t)
        let stepSize = Float(Double(learningRate) / correction1)
        let correction2Root = Float(correction2.squareRoot())
        let (beta1, beta2, epsilon) = (self.beta1, self.beta2, self.epsilon)
        parameter.withUnsafeMutableBufferPointer { theta in
            state.firstMoment.withUnsafeMutableBufferPointer { m in
                state.secondMoment.withUnsafeMutableBufferPointer { v in
                    ckernels_adam(theta.baseAddress!, gradient, m.baseAddress!, v.baseAddress!, Int64(theta.count),
                                  beta1, beta2, stepSize, correction2Root, epsilon, gradientDecay)
                }
            }
        }
    }
}

/// PyTorch's `torch.optim.SparseAdam` for an embedding's sparse gradient: only the touched
/// rows' moments and values change, with one step count per table; no weight decay.
/// θ_r ← θ_r − lr·√(1−β₂ᵗ)/(1−β₁ᵗ) · m_r/(√v_r + ε).
public struct SparseAdam: Sendable {
    /// β₁.
    public var beta1: Float
    /// β₂.
    public var beta2: Float
    /// ε.
    public var epsilon: Float

    /// SparseAdam with PyTorch's defaults.
    public init(beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8) {
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
    }

    /// Zero moments for a table of `count` values.
    public func makeState(count: Int) -> AdamState { AdamState(count: count) }

    /// Updates the rows of `table` ([V, D] row-major) named by `gradient`.
    public func update(_ table: inout [Float], gradient: SparseRowGradient, state: inout AdamState, learningRate: Float) {
        update(&table, gradients: [gradient], state: &state, learningRate: learningRate)
    }

    /// One step over a gradient split into parts that touch disjoint rows (the step count
    /// advances once); the parts are applied in parallel under the current thread budget.
    package func update(_ table: inout [Float], gradients: [SparseRowGradient], state: inout AdamState, learningRate: Float) {
        precondition(state.firstMoment.count == table.count, "SparseAdam state is for a table of \(state.firstMoment.count) values, not \(table.count)")
        state.step += 1
        let t = Double(state.step)
        let correction1 = 1 - Foundation.pow(Double(beta1), t)
        let correction2 = 1 - Foundation.pow(Double(beta2), t)
        let stepSize = Float(Double(learningRate) * correction2.squareRoot() / correction1)
        let (beta1, beta2, epsilon) = (self.beta1, self.beta2, self.epsilon)
        table.withUnsafeMutableBufferPointer { table in
            state.firstMoment.withUnsafeMutableBufferPointer { firstMoment in
                state.secondMoment.withUnsafeMutableBufferPointer { secondMoment in
                    let (theta, m, v) = (table.baseAddress!, firstMoment.baseAddress!, secondMoment.baseAddress!)
                    Parallel.forEachShard(gradients.count) { part in
                        let gradient = gradients[part]
                        guard gradient.rowCount > 0 else { return }
                        gradient.withUnsafeRows { rows, values in
                            ckernels_sparse_adam(theta, m, v, Int64(gradient.dimension), rows.baseAddress!, Int64(rows.count),
                                                 values.baseAddress!, beta1, beta2, stepSize, epsilon)
                        }
                    }
                }
            }
        }
    }
}

/// Plain SGD on an embedding's sparse gradient (PyTorch's `SGD` with a sparse gradient and no
/// momentum): θ_r ← θ_r − lr·g_r on the touched rows only.
public struct SparseSGD: Sendable {
    /// Sparse SGD (it has no settings).
    public init() {}

    /// Updates the rows of `table` ([V, D] row-major) named by `gradient`.
    public func update(_ table: inout [Float], gradient: SparseRowGradient, learningRate: Float) {
        update(&table, gradients: [gradient], learningRate: learningRate)
    }

    /// Updates the rows named by parts of a gradient that touch disjoint rows, the parts in
    /// parallel under the current thread budget.
    package func update(_ table: inout [Float], gradients: [SparseRowGradient], learningRate: Float) {
        table.withUnsafeMutableBufferPointer { table in
            let table = table.baseAddress!
            Parallel.forEachShard(gradients.count) { part in
                let gradient = gradients[part], D = gradient.dimension
                gradient.withUnsafeRows { rows, values in
                    for (slot, row) in rows.enumerated() {
                        let g = values.baseAddress! + slot * D
                        let theta = table + row * D
                        for j in 0..<D { theta[j] -= learningRate * g[j] }
                    }
                }
            }
        }
    }
}
