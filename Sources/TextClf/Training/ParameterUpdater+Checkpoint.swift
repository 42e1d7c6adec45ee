/// The optimizer state in and out of checkpoints: Adam's moments and step counts, SGD's
/// momentum buffers, and the embedding's SparseAdam moments, under their parameter names.
extension ParameterUpdater {
    func snapshot() -> OptimizerSnapshot {
        var snapshot = OptimizerSnapshot()
        func addAdam(_ state: AdamState, shape: [Int], name: String) {
            snapshot.tensors[name + ".first_moment"] = Tensor(shape: shape, values: state.firstMoment)
            snapshot.tensors[name + ".second_moment"] = Tensor(shape: shape, values: state.secondMoment)
            snapshot.steps[name] = state.step
        }
        if let adam = dense as? ParameterOptimizer<Adam> {
            for (name, state) in adam.states { addAdam(state, shape: [state.firstMoment.count], name: name) }
        } else if let sgd = dense as? ParameterOptimizer<SGD> {
            for (name, state) in sgd.states {
                if let buffer = state.buffer { snapshot.tensors[name + ".momentum_buffer"] = Tensor(shape: [buffer.count], values: buffer) }
                snapshot.steps[name] = 0
            }
        }
        if let embeddingState { addAdam(embeddingState, shape: [embeddingState.firstMoment.count], name: "embedding.weight") }
        return snapshot
    }

    /// Takes over the state of `snapshot`, which must come from an updater of the same kind
    /// for a network of the same shape (the checkpoint's fingerprint guarantees both).
    func restore(_ snapshot: OptimizerSnapshot, network: Network) throws {
        var copy = network
        var sizes: [String: Int] = ["embedding.weight": network.embedding.weight.count]
        copy.forEachParameter { name, _, value, _ in sizes[name] = value.count }
        func values(_ parameter: String, _ part: String) throws -> [Float] {
            guard let tensor = snapshot.tensors[parameter + part], tensor.values.count == sizes[parameter] else {
                throw CheckpointError.unusable("checkpoint", reason: "optimizer state of '\(parameter)' does not fit the network")
            }
            return tensor.values
        }
        func adamState(_ name: String) throws -> AdamState {
            var state = AdamState(count: 0)
            state.firstMoment = try values(name, ".first_moment")
            state.secondMoment = try values(name, ".second_moment")
            state.step = snapshot.steps[name] ?? 0
            return state
        }
        let denseNames = snapshot.steps.keys.filter { $0 != "embedding.weight" }
        if var adam = dense as? ParameterOptimizer<Adam> {
            for name in denseNames { adam.states[name] = try adamState(name) }
            dense = adam
        } else if var sgd = dense as? ParameterOptimizer<SGD> {
            for name in denseNames {
                sgd.states[name] = SGD.State(buffer: snapshot.tensors[name + ".momentum_buffer"] == nil
                                             ? nil : try values(name, ".momentum_buffer"))
            }
            dense = sgd
        }
        if snapshot.steps["embedding.weight"] != nil { embeddingState = try adamState("embedding.weight") }
    }
}
