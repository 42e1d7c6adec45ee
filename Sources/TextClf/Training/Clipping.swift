/// Gradient clipping by global norm, as `torch.nn.utils.clip_grad_norm_`: with
/// N = ‖(‖g₁‖, ‖g₂‖, …)‖₂ over every gradient tensor, each gradient is multiplied by
/// min(1, maxNorm/(N + 1e-6)).
///
///     var clip = GlobalNormClipping()
///     model.forEachParameter { _, _, _, g in clip.include(g) }
///     let factor = clip.factor(maxNorm: 5)   // then scale every gradient by it
public struct GlobalNormClipping: Sendable {
    /// Σ g² over everything included so far, in Double so the order of tensors barely matters.
    public private(set) var sumOfSquares: Double = 0

    public init() {}

    /// Adds a gradient tensor (dense, or a sparse gradient's values) to the norm.
    public mutating func include(_ gradient: some Collection<Float>) {
        var sum = 0.0
        for g in gradient { sum += Double(g) * Double(g) }
        sumOfSquares += sum
    }

    /// The global norm N.
    public var norm: Double { sumOfSquares.squareRoot() }

    /// min(1, maxNorm/(N + 1e-6)), the factor to multiply every gradient by.
    public func factor(maxNorm: Float) -> Float {
        Float(min(1, Double(maxNorm) / (norm + 1e-6)))
    }
}

/// g ← g·factor.
public func scaleGradient(_ gradient: inout [Float], by factor: Float) {
    for i in gradient.indices { gradient[i] *= factor }
}
