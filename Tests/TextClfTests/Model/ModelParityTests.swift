import Foundation
import Testing
@testable import TextClf

/// Model files that textclf trained, loaded by PyTorch (`Scripts/textclf_torch.py`) with
/// `load_state_dict`: PyTorch's probabilities, committed beside each model, must equal
/// textclf's own within SPEC §4's tolerance. This proves the tensor names, shapes and layouts,
/// the network's definition and the tokenizer at once.
@Suite("model file parity with PyTorch")
struct ModelParityTests {
    static let models = ["pool_mean", "pool_max_bce", "rnn_last", "lstm_bidirectional_two_layers", "gru_mean_mse",
                         "cnn_max", "lstm_words_multilingual", "cnn_words_mean"]

    struct Fixture: Decodable {
        let labels: [String]
        let lines: [String]
        let probabilities: [[Float]?]
    }

    @Test(arguments: models)
    func pytorchLoadsTheFileAndAgrees(_ name: String) throws {
        let directory = TestPaths.fixtures.appendingPathComponent("models")
        let classifier = try Classifier(contentsOf: directory.appendingPathComponent("\(name).safetensors"))
        let fixture = try JSONDecoder().decode(
            Fixture.self, from: Data(contentsOf: directory.appendingPathComponent("\(name).probabilities.json")))
        #expect(classifier.labels == fixture.labels)
        let ours = classifier.probabilities(fixture.lines).rows
        var worst: Float = 0
        for (index, line) in fixture.lines.enumerated() {
            #expect((ours[index] == nil) == (fixture.probabilities[index] == nil), "\(name): line \(index) '\(line)'")
            if let mine = ours[index], let theirs = fixture.probabilities[index] {
                Parity.expect(mine, theirs, "\(name) line \(index)")
                worst = max(worst, Parity.worstAbsolute(mine, theirs))
            }
        }
        print("model parity \(name): worst |textclf − PyTorch| = \(worst)")
    }
}
