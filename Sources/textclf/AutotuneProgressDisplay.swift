import Foundation
import TextClf

/// Shows an autotune search on standard error: one line per trial, with a live bar of the whole
/// budget below them on a terminal; nothing with --quiet.
final class AutotuneProgressDisplay {
    private let budget: AutotuneJob.Budget
    private let metric: AutotuneMetric
    private let modelSize: Int?
    private let quiet: Bool
    private let live = isatty(STDERR_FILENO) == 1
    private let started = Date()
    private var lastDraw = Date.distantPast
    private var trial = 0
    private var best: AutotuneTrial?
    private var barShown = false

    init(budget: AutotuneJob.Budget, metric: AutotuneMetric, modelSize: Int?, quiet: Bool) {
        self.budget = budget
        self.metric = metric
        self.modelSize = modelSize
        self.quiet = quiet
    }

    func show(_ event: AutotuneJob.Event) {
        guard !quiet else { return }
        switch event {
        case .trialStarted(let number, _):
            trial = number
        case .progress(let fraction):
            draw(fraction, label: "autotune", detail: "trial \(trialNumber(trial))" + (best.map { "  best \(score($0))" } ?? ""))
        case let .trialFinished(finished, best):
            self.best = best
            write(clearing() + line(finished) + "\n")
        case .finalTraining(let best):
            write(clearing() + "best: trial \(best.number), \(metric.name) \(score(best)); training it again\n")
        case .finalProgress(let fraction):
            draw(fraction, label: "final training", detail: "")
        }
    }

    /// Removes the live bar, if one is drawn.
    func clear() {
        if barShown { write(clearing()) }
    }

    /// The closing summary: the estimated size and the file written.
    func finish(_ result: AutotuneJob.Result, output: String) {
        guard !quiet else { return }
        clear()
        let model = result.model, record = model.record
        var text = "kept epoch \(record.keptEpoch) of \(record.history.count); \(model.labels.count) labels, "
            + "vocabulary \(model.vocabularySize), \(model.parameterCount) parameters\n"
        if let modelSize {
            text += "estimated int8 size \(Self.size(result.estimatedSize)) (limit \(Self.size(modelSize))); "
                + "quantized \(result.quantizeArguments?.joined(separator: " ") ?? "")".trimmingCharacters(in: .whitespaces) + "\n"
        }
        write(text + "wrote \(output) (\(Self.size(result.writtenSize)))\n")
    }

    private func line(_ trial: AutotuneTrial) -> String {
        let outcome: String
        switch trial.outcome {
        case .scored: outcome = "\(metric.name) \(score(trial))"
        case .diverged: outcome = "diverged (loss NaN or infinite)"
        case .stopped: outcome = "cut short by the end of the search, discarded"
        }
        var text = "trial \(trialNumber(trial.number))  \(outcome)"
        if let best { text += "  best \(score(best)) (trial \(best.number))" }
        text += "  \(String(format: "%.1f", trial.seconds))s  \(rate(trial.tokensPerSecond)) tok/s"
        if let size = trial.estimatedSize { text += "  int8 ≈ \(Self.size(size))" }
        return text + "  " + trial.candidate.trainArguments.joined(separator: " ")
    }

    private func trialNumber(_ number: Int) -> String {
        if case .trials(let count) = budget { return "\(number)/\(count)" }
        return "\(number)"
    }

    private func score(_ trial: AutotuneTrial) -> String {
        String(format: "%.4f", trial.score ?? 0)
    }

    private func draw(_ fraction: Double, label: String, detail: String) {
        guard live, Date().timeIntervalSince(lastDraw) > 0.1 else { return }
        lastDraw = Date()
        let done = min(max(fraction, 0), 1)
        let filled = Int(done * 30)
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: 30 - filled)
        var text = "\r\u{1B}[2K\(label) [\(bar)] \(Int(done * 100))%"
        if !detail.isEmpty { text += "  " + detail }
        if case .duration(let seconds) = budget, label == "autotune" {
            text += "  ETA \(clock(seconds - Date().timeIntervalSince(started)))"
        }
        write(text)
        barShown = true
    }

    private func clearing() -> String {
        guard barShown else { return "" }
        barShown = false
        return "\r\u{1B}[2K"
    }

    private func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }

    private func rate(_ value: Double) -> String {
        value >= 1e6 ? String(format: "%.2fM", value / 1e6) : value >= 1e3 ? String(format: "%.1fk", value / 1e3) : String(format: "%.0f", value)
    }

    private func clock(_ seconds: Double) -> String {
        let total = max(0, Int(seconds.rounded()))
        return String(format: "%d:%02d", total / 60, total % 60)
    }

    /// Bytes in kB or MB (10³, 10⁶), as --model-size counts K and M.
    static func size(_ bytes: Int) -> String {
        bytes >= 1_000_000 ? String(format: "%.2f MB", Double(bytes) / 1e6) : String(format: "%.1f kB", Double(bytes) / 1e3)
    }
}
