// Checks two of the library's layers against loops written out by hand on one short sequence:
// an Elman RNN without bias (input 3, hidden 4), h_t = tanh(W_ih x_t + W_hh h_{t−1}), and a
// one-dimensional convolution (4 filters of width 2) followed by ReLU and max over positions,
// the `cnn` architecture's Conv1dBank. The weights are read back from the layers by their
// PyTorch names, so the loops use exactly what the layers use.
//
//     swift run -c release --package-path Examples rnn-by-hand [--seed 1]
import Foundation
import ExampleSupport
import TextClf

var generator = SeededGenerator(seed: option("--seed", 1))
let T = 5, D = 3, H = 4
let x = Matrix(rows: T, cols: D, storage: (0..<T * D).map { _ in generator.nextUniform(-1, 1) })
let sequence = SequenceBatch(values: x, lengths: [T], maxLength: T)

func show(_ name: String, _ rows: [[Float]]) {
    print(name)
    for row in rows { print("  " + row.map { String(format: "%+.6f", $0) }.joined(separator: " ")) }
}

/// The largest |a − b| over two tables of the same shape.
func largestDifference(_ a: [[Float]], _ b: [[Float]]) -> Float {
    zip(a.joined(), b.joined()).map { abs($0 - $1) }.max() ?? 0
}

// RNN: PyTorch's nn.RNN(3, 4, bias=False) is nn.RNN with both biases zero.
var rnn = RNN(inputSize: D, hiddenSize: H, generator: &generator)
var tensors = rnn.parameterTensors
for name in ["bias_ih_l0", "bias_hh_l0"] { tensors[name] = Tensor(shape: [H], values: [Float](repeating: 0, count: H)) }
try! rnn.loadParameters(from: tensors)  // the names and shapes the layer itself listed
let layerStates = rnn.forward(sequence).0.values
let inputWeight = tensors["weight_ih_l0"]!.values, hiddenWeight = tensors["weight_hh_l0"]!.values

var h = [Float](repeating: 0, count: H)
var handStates: [[Float]] = []
for t in 0..<T {
    h = (0..<H).map { i in
        var sum: Float = 0
        for j in 0..<D { sum += inputWeight[i * D + j] * x[t, j] }
        for j in 0..<H { sum += hiddenWeight[i * H + j] * h[j] }
        return tanh(sum)
    }
    handStates.append(h)
}
let layerRows = (0..<T).map { t in (0..<H).map { layerStates[t, $0] } }
show("RNN layer, h_1 … h_\(T):", layerRows)
show("hand loop, h_t = tanh(W_ih x_t + W_hh h_(t-1)):", handStates)
let rnnDifference = largestDifference(layerRows, handStates)
print(String(format: "RNN largest difference %.3e\n", rnnDifference))

// Convolution: Conv1d(3, 4, kernel 2) with bias, ReLU, max over the T − 1 positions.
let F = 4, k = 2
let conv = Conv1dBank(inputSize: D, filters: F, kernelSizes: [k], pooling: .max, generator: &generator)
let layerPooled = conv.forward(sequence).0
let convWeight = conv.parameterTensors["conv.0.weight"]!.values  // [F, D, k]
let convBias = conv.parameterTensors["conv.0.bias"]!.values

var handPooled = [Float](repeating: 0, count: F)
for f in 0..<F {
    var best = -Float.infinity
    for t in 0...(T - k) {
        var sum = convBias[f]
        for d in 0..<D {
            for j in 0..<k { sum += convWeight[(f * D + d) * k + j] * x[t + j, d] }
        }
        best = max(best, max(sum, 0))
    }
    handPooled[f] = best
}
show("Conv1dBank (Conv1d → ReLU → max), per filter:", [(0..<F).map { layerPooled[0, $0] }])
show("hand loop, max_t relu(b + Σ_d Σ_j W[f, d, j] x[t + j, d]):", [handPooled])
let convDifference = largestDifference([(0..<F).map { layerPooled[0, $0] }], [handPooled])
print(String(format: "convolution largest difference %.3e", convDifference))
