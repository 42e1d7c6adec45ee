@testable import TextClf

/// One-hot rows [B, C] for class indices, the targets PyTorch's fixtures compare against.
func oneHot(_ targets: [Int], classes C: Int) -> Matrix {
    var m = Matrix(rows: targets.count, cols: C)
    for (i, target) in targets.enumerated() { m[i, target] = 1 }
    return m
}

extension DatasetGenerator {
    /// The next `count` examples.
    mutating func generate(count: Int) -> [GeneratedExample] {
        (0..<count).map { _ in next() }
    }
}
