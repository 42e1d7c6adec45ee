extension ParameterContainer {
    /// Every parameter as a named tensor (PyTorch's names and shapes), for example to save as
    /// plain safetensors: `Safetensors(tensors: layer.parameterTensors).write(to: url)`.
    public var parameterTensors: [String: Tensor] {
        var copy = self
        var tensors: [String: Tensor] = [:]
        copy.forEachParameter { name, shape, value, _ in tensors[name] = Tensor(shape: shape, values: value) }
        return tensors
    }

    /// Replaces every parameter by the tensor of the same name, as PyTorch's
    /// `load_state_dict(strict=True)` does; the gradients are untouched.
    /// - Throws: `NetworkError` when a tensor is missing, of another shape, or not a parameter
    ///   of this container; nothing is changed then.
    public mutating func loadParameters(from tensors: [String: Tensor]) throws {
        var remaining = tensors
        var mismatch: NetworkError?
        var copy = self
        copy.forEachParameter { name, shape, value, _ in
            guard let tensor = remaining.removeValue(forKey: name), tensor.shape == shape else {
                mismatch = mismatch ?? .tensorMismatch(name, expected: shape, found: tensors[name]?.shape)
                return
            }
            value = tensor.values
        }
        if let mismatch { throw mismatch }
        if let extra = remaining.keys.sorted().first { throw NetworkError.unexpectedTensor(extra) }
        self = copy
    }
}
