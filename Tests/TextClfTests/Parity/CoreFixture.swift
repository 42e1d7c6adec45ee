import Foundation
import Testing
@testable import TextClf

/// One PyTorch fixture from `Tests/Fixtures/core/` (written by `make_fixtures.py`).
struct CoreFixture {
    let name: String
    let file: Safetensors

    init(_ name: String) throws {
        self.name = name
        file = try Safetensors(contentsOf: TestPaths.fixtures.appendingPathComponent("core/\(name).safetensors"))
    }

    func values(_ key: String) -> [Float] {
        guard let tensor = file[key] else {
            Issue.record("fixture \(name) has no tensor \(key)")
            return []
        }
        return tensor.values
    }

    /// A 2-D tensor as a Matrix (a 1-D tensor becomes one row).
    func matrix(_ key: String) -> Matrix {
        guard let tensor = file[key] else {
            Issue.record("fixture \(name) has no tensor \(key)")
            return Matrix(rows: 0, cols: 0)
        }
        let rows = tensor.shape.count == 2 ? tensor.shape[0] : 1
        return Matrix(rows: rows, cols: tensor.values.count / max(rows, 1), storage: tensor.values)
    }

    func ints(_ key: String) -> [Int] { values(key).map { Int($0) } }

    func scalar(_ key: String) -> Float { Float(file.metadata[key] ?? "") ?? 0 }

    /// `Parity.expect`, plus one `PARITY <case> <ratio>` line on stdout so the worst error of
    /// every case can be listed with `swift test --filter Parity | grep PARITY`.
    func expect(_ actual: [Float], _ key: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let expected = values(key)
        Parity.expect(actual, expected, "\(name).\(key)", sourceLocation: sourceLocation)
        guard actual.count == expected.count else { return }
        let ratio = Parity.worstRatio(actual, expected)
        let absolute = Parity.worstAbsolute(actual, expected)
        print("PARITY \(name).\(key) worst-ratio \(String(format: "%.4f", ratio)) worst-abs \(String(format: "%.3g", absolute))")
    }
}
