import Testing
@_spi(Internals) @testable import TextClf

@Suite("int8 matrices")
struct Int8MatrixTests {
    /// Shapes [B, R, C] with every edge of the kernels' tiles: one batch row, one weight row, a
    /// column count that is not a multiple of 4, row counts around the 16- and 32-row panels,
    /// batches around the 6-row tile, and model shapes.
    static let shapes: [(batch: Int, rows: Int, cols: Int)] = [
        (1, 1, 1), (1, 17, 3), (2, 16, 4), (5, 31, 7), (6, 32, 64), (7, 33, 65), (12, 48, 129),
        (13, 64, 130), (64, 128, 512), (1, 512, 128), (3, 4, 1000),
    ]

    /// A matrix [rows, cols] of values uniform in ±bound.
    static func uniform(_ rows: Int, _ cols: Int, bound: Float, _ rng: inout SeededGenerator) -> Matrix {
        Matrix(rows: rows, cols: cols, storage: (0..<rows * cols).map { _ in bound * (2 * rng.nextUniform() - 1) })
    }

    /// Int8 values uniform in [−127, 127].
    static func int8Values(_ count: Int, _ rng: inout SeededGenerator) -> [Int8] {
        (0..<count).map { _ in Int8(Int(rng.next() % 255) - 127) }
    }

    /// Σ_c x[b, c]·q[r, c] in plain Swift: the reference the kernels must equal.
    static func referenceSums(_ x: [Int8], batch: Int, _ q: [Int8], rows: Int, cols: Int) -> [Int32] {
        var sums = [Int32](repeating: 0, count: batch * rows)
        for b in 0..<batch {
            for r in 0..<rows {
                var sum: Int32 = 0
                for c in 0..<cols { sum += Int32(x[b * cols + c]) * Int32(q[r * cols + c]) }
                sums[b * rows + r] = sum
            }
        }
        return sums
    }

    @Test func quantizationErrorIsAtMostHalfAScale() {
        var rng = SeededGenerator(seed: 11)
        var weights = Self.uniform(9, 37, bound: 3, &rng)
        for c in 0..<37 { weights[2, c] = 0 }            // a row of zeros
        for c in 0..<37 { weights[3, c] = 1e-3 * Float(c % 5) }
        weights[4, 5] = 1000                              // one outlier dominates its row
        for c in 0..<37 { weights[5, c] = 1e-44 }         // maxabs / 127 underflows to 0
        let quantized = Int8Matrix(quantizing: weights)
        let restored = quantized.dequantized()
        for r in [2, 5] {
            #expect(quantized.scales[r] == 1)
            #expect(quantized.values[r * 37 ..< (r + 1) * 37].allSatisfy { $0 == 0 })
        }
        for r in 0..<9 {
            let row = quantized.values[r * 37 ..< (r + 1) * 37]
            #expect(row.allSatisfy { (-127...127).contains($0) })
            let maxabs = (0..<37).map { abs(weights[r, $0]) }.max()!
            if r != 2 && r != 5 {
                #expect(row.contains { abs(Int($0)) == 127 }, "row \(r) uses the full range")
                #expect(quantized.scales[r] == maxabs / 127)
            }
            for c in 0..<37 {
                let error = abs(weights[r, c] - restored[r, c])
                // Half a step, plus the float roundings of w / scale and q·scale.
                #expect(error <= quantized.scales[r] / 2 * (1 + 1e-6) + abs(weights[r, c]).ulp,
                        "row \(r) column \(c): error \(error), scale \(quantized.scales[r])")
            }
        }
    }

    @Test func storedValuesAndScalesGiveTheSameMatrix() throws {
        var rng = SeededGenerator(seed: 12)
        let quantized = Int8Matrix(quantizing: Self.uniform(21, 13, bound: 1, &rng))
        let loaded = try Int8Matrix(rows: 21, cols: 13, values: quantized.values, scales: quantized.scales)
        #expect(loaded == quantized)
        let x = Self.uniform(5, 13, bound: 2, &rng)
        #expect(loaded.multiply(x).storage == quantized.multiply(x).storage)
    }

    @Test func storedValuesOutOfRangeOrNonFiniteScalesAreRefused() {
        var values = [Int8](repeating: 1, count: 6)
        values[4] = -128
        #expect(throws: Int8MatrixError.valueOutOfRange(row: 1, column: 1)) {
            try Int8Matrix(rows: 2, cols: 3, values: values, scales: [1, 1])
        }
        #expect(throws: Int8MatrixError.nonFiniteScale(row: 1)) {
            try Int8Matrix(rows: 2, cols: 3, values: [Int8](repeating: 1, count: 6), scales: [1, .nan])
        }
    }

    @Test func int32SumsEqualTheReferenceOnEveryKernel() {
        var rng = SeededGenerator(seed: 13)
        #expect(Int8Kernel.supported.contains(.portable))
        for (batch, rows, cols) in Self.shapes {
            let q = Self.int8Values(rows * cols, &rng)
            let x = Self.int8Values(batch * cols, &rng)
            let weights = try! Int8Matrix(rows: rows, cols: cols, values: q, scales: [Float](repeating: 1, count: rows))
            let expected = Self.referenceSums(x, batch: batch, q, rows: rows, cols: cols)
            for kernel in Int8Kernel.supported {
                #expect(weights.int32Products(of: x, batch: batch, kernel: kernel) == expected,
                        "\(kernel.name), [\(batch), \(rows), \(cols)]")
            }
        }
    }

    /// ±127 everywhere: the largest pairs of products (2·127² = 32258), where a careless
    /// `vpmaddubsw` saturates at 32767, and the largest sums.
    @Test func extremeValuesGiveExactSumsOnEveryKernel() {
        let (batch, rows, cols) = (7, 35, 1031)
        let patterns: [(String, (Int) -> Int8, (Int) -> Int8)] = [
            ("all +127 by +127", { _ in 127 }, { _ in 127 }),
            ("all −127 by −127", { _ in -127 }, { _ in -127 }),
            ("all −127 by +127", { _ in -127 }, { _ in 127 }),
            ("alternating signs", { $0 % 2 == 0 ? 127 : -127 }, { $0 % 3 == 0 ? -127 : 127 }),
        ]
        for (name, input, weight) in patterns {
            let q = (0..<rows * cols).map(weight)
            let x = (0..<batch * cols).map(input)
            let weights = try! Int8Matrix(rows: rows, cols: cols, values: q, scales: [Float](repeating: 1, count: rows))
            let expected = Self.referenceSums(x, batch: batch, q, rows: rows, cols: cols)
            for kernel in Int8Kernel.supported {
                #expect(weights.int32Products(of: x, batch: batch, kernel: kernel) == expected, "\(kernel.name), \(name)")
            }
        }
    }

    /// The float path: identical bits on every kernel, and within the quantization error of the
    /// float product with the dequantized weights.
    @Test func floatOutputsAreIdenticalOnEveryKernelAndWithinTheInputQuantizationError() {
        var rng = SeededGenerator(seed: 14)
        for (batch, rows, cols) in Self.shapes {
            let weights = Int8Matrix(quantizing: Self.uniform(rows, cols, bound: 0.5, &rng))
            var x = Self.uniform(batch, cols, bound: 4, &rng)
            if batch > 2 { for c in 0..<cols { x[1, c] = 0 } }  // a row of zeros: y = bias exactly
            let bias = (0..<rows).map { _ in rng.nextUniform() - 0.5 }
            let expected = weights.multiply(x, bias: bias, kernel: .portable)
            for kernel in Int8Kernel.supported {
                #expect(weights.multiply(x, bias: bias, kernel: kernel).storage == expected.storage,
                        "\(kernel.name), [\(batch), \(rows), \(cols)]")
            }
            if batch > 2 { #expect(Array(expected.storage[rows ..< 2 * rows]) == bias) }
            let w = weights.dequantized()
            for b in 0..<batch {
                let sx = (0..<cols).map { abs(x[b, $0]) }.max()! / 127
                for r in 0..<rows {
                    var exact = Double(bias[r]), bound = 0.0, magnitude = 0.0
                    for c in 0..<cols {
                        exact += Double(x[b, c]) * Double(w[r, c])
                        bound += Double(sx) / 2 * abs(Double(w[r, c]))
                        magnitude += abs(Double(x[b, c]) * Double(w[r, c]))
                    }
                    // Rounding each input to its step moves the sum by at most Σ (sx/2)·|w|; the
                    // float steps after the exact int32 sum add a few ulps of the magnitude.
                    let error = abs(Double(expected[b, r]) - exact)
                    #expect(error <= bound * 1.0001 + 1e-6 * (magnitude + abs(Double(bias[r]))),
                            "[\(batch), \(rows), \(cols)] b \(b) r \(r): error \(error), bound \(bound)")
                }
            }
        }
    }

    /// Accumulating into y and reading overlapping input rows (a convolution's windows): the
    /// same bits on every kernel, and y_before + the plain product's result.
    @Test func accumulatedOutputsOfOverlappingRowsAreIdenticalOnEveryKernel() {
        var rng = SeededGenerator(seed: 16)
        for (batch, rows, cols) in Self.shapes {
            let (stride, window) = (max(1, cols / 3), cols)
            let weights = Int8Matrix(quantizing: Self.uniform(rows, window, bound: 0.5, &rng))
            let x = (0..<(batch - 1) * stride + window).map { _ in 3 * rng.nextUniform() - 1.5 }
            let start = (0..<batch * rows).map { _ in rng.nextUniform() - 0.5 }
            func run(_ kernel: Int8Kernel, accumulate: Bool) -> [Float] {
                var y = accumulate ? start : [Float](repeating: 0, count: batch * rows)
                x.withUnsafeBufferPointer { x in
                    y.withUnsafeMutableBufferPointer { y in
                        weights.multiply(input: x.baseAddress!, inputStride: stride, batch: batch, into: y.baseAddress!,
                                         outputStride: rows, bias: nil, accumulate: accumulate, kernel: kernel)
                    }
                }
                return y
            }
            let plain = run(.portable, accumulate: false), expected = run(.portable, accumulate: true)
            #expect(expected == zip(start, plain).map { $0 + $1 }, "[\(batch), \(rows), \(cols)]")
            let windows = Matrix(rows: batch, cols: window, storage: (0..<batch).flatMap { x[$0 * stride ..< $0 * stride + window] })
            #expect(plain == weights.multiply(windows, kernel: .portable).storage)
            for kernel in Int8Kernel.supported {
                #expect(run(kernel, accumulate: true) == expected, "\(kernel.name), [\(batch), \(rows), \(cols)]")
            }
        }
    }

    @Test func inputsAreQuantizedByRoundingHalfToEven() {
        // maxabs 127 makes sx 1, so the quantized inputs are the inputs rounded: 2.5 → 2, 3.5 → 4,
        // −0.5 → 0, and the sum against weights of 1 is their sum.
        let x = Matrix(rows: 1, cols: 5, storage: [2.5, 3.5, -0.5, -127, 1.4999])
        let weights = try! Int8Matrix(rows: 1, cols: 5, values: [1, 1, 1, 1, 1], scales: [1])
        for kernel in Int8Kernel.supported {
            #expect(weights.multiply(x, kernel: kernel).storage == [2 + 4 + 0 - 127 + 1], "\(kernel.name)")
        }
    }

    @Test func resultsDoNotDependOnTheThreadCount() {
        var rng = SeededGenerator(seed: 15)
        // Above int8ParallelThreshold both ways: split by batch rows, and by weight rows.
        for (batch, rows, cols) in [(515, 130, 260), (7, 2050, 1200)] {
            #expect(batch * rows * cols >= int8ParallelThreshold)
            let weights = Int8Matrix(quantizing: Self.uniform(rows, cols, bound: 1, &rng))
            let x = Self.uniform(batch, cols, bound: 1, &rng)
            let one = Parallel.withThreads(1) { weights.multiply(x) }
            let two = Parallel.withThreads(2) { weights.multiply(x) }
            #expect(one.storage == two.storage, "[\(batch), \(rows), \(cols)]")
        }
    }

    @Test func theCurrentKernelIsOneThisCPURuns() {
        #expect(Int8Kernel.current.isSupported)
        #expect(Int8Kernel.current != .vnni256EVEX)
    }
}
