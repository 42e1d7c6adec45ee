import Testing
@_spi(Internals) @testable import TextClf

@Suite("Matrix and the reference product")
struct MatrixTests {
    @Test func matrixIsRowMajor() {
        var m = Matrix(rows: 2, cols: 3)
        m[1, 2] = 5
        #expect(m.storage == [0, 0, 0, 0, 0, 5])
    }

    @Test func referenceProductHandlesAllTransposeForms() {
        // A = [[1, 2], [3, 4]], B = [[5, 6], [7, 8]]
        let a: [Float] = [1, 2, 3, 4], b: [Float] = [5, 6, 7, 8]
        func product(_ ta: Transpose, _ tb: Transpose) -> [Float] {
            var c = [Float](repeating: 0, count: 4)
            gemmReference(ta, tb, m: 2, n: 2, k: 2, a: a, lda: 2, b: b, ldb: 2, c: &c, ldc: 2, accumulate: false)
            return c
        }
        #expect(product(.none, .none) == [19, 22, 43, 50])
        #expect(product(.none, .transposed) == [17, 23, 39, 53])
        #expect(product(.transposed, .none) == [26, 30, 38, 44])
    }

    @Test func icuVersionIsReported() {
        #expect(Versions.icu.split(separator: ".").count == 2)
    }
}
