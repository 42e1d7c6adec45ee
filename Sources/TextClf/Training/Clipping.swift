import CKernels

/// Gradient clipping by global norm, as `torch.nn.utils.clip_grad_norm_`: with
/// N = ‖(‖g₁‖, ‖g₂‖, …)‖₂ over every gradient tensor, each gradient is multiplied by
/// min(1, maxNorm/(N + 1e-6)).
///
///     var clip = GlobalNormClipping()
///     model.forEachParameter { _, _, _, g in clip.include(g) }
///     let factor = clip.factor(maxNorm: 5)   // then scale every gradient by it
package struct GlobalNormClipping: Sendable {
    /// Σ g² over everything included so far, in Double so the order of tensors barely matters.
    package private(set) var sumOfSquares: Double = 0

    package init() {}

    /// Adds a dense gradient tensor to the norm.
    package mutating func include(_ gradient: [Float]) {
        sumOfSquares += gradient.withUnsafeBufferPointer { ckernels_sum_of_squares($0.baseAddress, Int64($0.count)) }
    }

    /// Adds an embedding's sparse gradient (its touched rows) to the norm.
    package mutating func include(_ gradient: SparseRowGradient) {
        sumOfSquares += gradient.withUnsafeRows { _, values in ckernels_sum_of_squares(values.baseAddress, Int64(values.count)) }
    }

    /// Adds a sum of squares computed elsewhere (e.g. one per group of rows, in parallel).
    package mutating func include(sumOfSquares: Double) {
        self.sumOfSquares += sumOfSquares
    }

    /// The global norm N.
    package var norm: Double { sumOfSquares.squareRoot() }

    /// min(1, maxNorm/(N + 1e-6)), the factor to multiply every gradient by.
    package func factor(maxNorm: Float) -> Float {
        Float(min(1, Double(maxNorm) / (norm + 1e-6)))
    }
}

/// g ← g·factor.
package func scaleGradient(_ gradient: inout [Float], by factor: Float) {
    for i in gradient.indices { gradient[i] *= factor }
}
