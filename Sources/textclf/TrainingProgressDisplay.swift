import Foundation
import TextClf

/// Shows training progress on standard error: a live bar on a terminal, one line per epoch
/// when standard error is a file or pipe, nothing with --quiet.
final class TrainingProgressDisplay {
    private let epochs: Int
    private let quiet: Bool
    private let live = isatty(STDERR_FILENO) == 1
    private var epochStarted = Date()
    private var lastDraw = Date.distantPast

    init(epochs: Int, quiet: Bool) {
        self.epochs = epochs
        self.quiet = quiet
    }

    func show(_ event: TrainingEvent) {
        guard !quiet else { return }
        switch event {
        case let .batch(epoch, batch, batches, runningLoss, tokensPerSecond):
            if batch == 1 { epochStarted = Date() }
            guard live, batch == batches || Date().timeIntervalSince(lastDraw) > 0.1 else { return }
            lastDraw = Date()
            let done = Double(batch) / Double(batches)
            let elapsed = Date().timeIntervalSince(epochStarted)
            let remaining = elapsed / done * (1 - done)
            let filled = Int(done * 30)
            let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: 30 - filled)
            write("\r\u{1B}[2Kepoch \(epoch)/\(epochs) [\(bar)] \(Int(done * 100))% ETA \(clock(remaining)) "
                  + "loss \(String(format: "%.4f", runningLoss)) \(rate(tokensPerSecond)) tok/s")
        case let .epoch(summary, seconds, tokensPerSecond):
            var line = "epoch \(summary.epoch)/\(epochs)  train loss \(String(format: "%.4f", summary.trainLoss)) "
                + "acc \(percent(summary.trainAccuracy))"
            if let validLoss = summary.validLoss, let validAccuracy = summary.validAccuracy {
                line += "  valid loss \(String(format: "%.4f", validLoss)) acc \(percent(validAccuracy))"
            }
            line += "  \(String(format: "%.1f", seconds))s  \(rate(tokensPerSecond)) tok/s"
            write((live ? "\r\u{1B}[2K" : "") + line + "\n")
        }
    }

    private func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }

    private func percent(_ value: Double) -> String { String(format: "%.2f%%", value * 100) }

    private func rate(_ value: Double) -> String {
        value >= 1e6 ? String(format: "%.2fM", value / 1e6) : value >= 1e3 ? String(format: "%.1fk", value / 1e3) : String(format: "%.0f", value)
    }

    private func clock(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "--:--" }
        let total = Int(seconds.rounded())
        return String(format: "%d:%02d", total / 60, total % 60)
    }
}
