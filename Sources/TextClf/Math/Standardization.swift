/// Per-feature standardization, as scikit-learn's `StandardScaler`: x′ = (x − μ)/σ with the mean
/// μ and population standard deviation σ of each column of the data it was fitted on.
/// A constant column (σ = 0) is only centred, so it stays finite.
///
///     let scaler = Standardization(fitting: trainFeatures)     // fit on training data only
///     let train = scaler.apply(trainFeatures), test = scaler.apply(testFeatures)
public struct Standardization: Sendable {
    /// μ, one per column.
    public var mean: [Float]
    /// σ, one per column (1 where the column was constant).
    public var scale: [Float]

    /// Fits μ and σ to the columns of `data` [N, D], N ≥ 1.
    public init(fitting data: Matrix) {
        precondition(data.rows >= 1, "standardization needs at least one row")
        var sum = [Double](repeating: 0, count: data.cols), sumOfSquares = sum
        for r in 0..<data.rows {
            for c in 0..<data.cols {
                let value = Double(data[r, c])
                sum[c] += value
                sumOfSquares[c] += value * value
            }
        }
        let n = Double(data.rows)
        mean = sum.map { Float($0 / n) }
        scale = zip(sum, sumOfSquares).map { sum, squares in
            let variance = max(0, squares / n - (sum / n) * (sum / n))
            return variance > 0 ? Float(variance.squareRoot()) : 1
        }
    }

    /// (x − μ)/σ for every row of x [N, D].
    public func apply(_ x: Matrix) -> Matrix {
        precondition(x.cols == mean.count, "fitted on \(mean.count) features, got \(x.cols)")
        var result = x
        for r in 0..<x.rows {
            for c in 0..<x.cols { result[r, c] = (x[r, c] - mean[c]) / scale[c] }
        }
        return result
    }
}
