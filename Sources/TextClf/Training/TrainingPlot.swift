import Foundation

/// Draws training curves as a standalone SVG: loss by epoch on the left, accuracy by epoch on
/// the right, train solid and validation dashed, with axes, tick labels and a legend.
public enum TrainingPlot {
    /// The SVG document for `epochs` (at least one).
    public static func svg(_ epochs: [EpochSummary], title: String) -> String {
        let width = 900.0, height = 400.0
        var svg = """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" \
        viewBox="0 0 \(Int(width)) \(Int(height))" font-family="sans-serif" font-size="12">
        <rect width="100%" height="100%" fill="white"/>
        <text x="\(width / 2)" y="22" text-anchor="middle" font-size="15">\(escape(title))</text>

        """
        let numbers = epochs.map { Double($0.epoch) }
        let losses = [epochs.map(\.trainLoss), epochs.compactMap(\.validLoss)]
        let accuracies = [epochs.map { $0.trainAccuracy * 100 }, epochs.compactMap { $0.validAccuracy.map { $0 * 100 } }]
        let lossMax = max(losses.flatMap { $0 }.filter(\.isFinite).max() ?? 1, 1e-9)
        svg += panel(x: 60, y: 40, width: 370, height: 300, title: "loss", epochs: numbers,
                     series: losses, yRange: 0...lossMax * 1.05)
        svg += panel(x: 510, y: 40, width: 370, height: 300, title: "accuracy (%)", epochs: numbers,
                     series: accuracies, yRange: 0...100)
        svg += legend(x: 60, y: 380, hasValidation: !losses[1].isEmpty)
        return svg + "</svg>\n"
    }

    private static let colors = ["#1f77b4", "#d62728"]

    private static func panel(x: Double, y: Double, width: Double, height: Double, title: String,
                              epochs: [Double], series: [[Double]], yRange: ClosedRange<Double>) -> String {
        let firstEpoch = epochs.first ?? 1, lastEpoch = max(epochs.last ?? 1, firstEpoch + 1)
        func px(_ epoch: Double) -> Double { x + (epoch - firstEpoch) / (lastEpoch - firstEpoch) * width }
        func py(_ value: Double) -> Double {
            let clamped = min(max(value, yRange.lowerBound), yRange.upperBound)
            return y + height - (clamped - yRange.lowerBound) / (yRange.upperBound - yRange.lowerBound) * height
        }
        var out = "<g>\n<text x=\"\(x + width / 2)\" y=\"\(y - 6)\" text-anchor=\"middle\">\(title)</text>\n"
        out += "<line x1=\"\(x)\" y1=\"\(y + height)\" x2=\"\(x + width)\" y2=\"\(y + height)\" stroke=\"black\"/>\n"
        out += "<line x1=\"\(x)\" y1=\"\(y)\" x2=\"\(x)\" y2=\"\(y + height)\" stroke=\"black\"/>\n"
        for step in 0...4 {
            let value = yRange.lowerBound + Double(step) / 4 * (yRange.upperBound - yRange.lowerBound)
            out += "<text x=\"\(x - 6)\" y=\"\(py(value) + 4)\" text-anchor=\"end\">\(format(value))</text>\n"
            out += "<line x1=\"\(x)\" y1=\"\(py(value))\" x2=\"\(x + width)\" y2=\"\(py(value))\" stroke=\"#ddd\"/>\n"
        }
        let tickEvery = max(1, Int((lastEpoch - firstEpoch) / 10))
        for epoch in stride(from: Int(firstEpoch), through: Int(lastEpoch), by: tickEvery) {
            out += "<text x=\"\(px(Double(epoch)))\" y=\"\(y + height + 16)\" text-anchor=\"middle\">\(epoch)</text>\n"
        }
        out += "<text x=\"\(x + width / 2)\" y=\"\(y + height + 32)\" text-anchor=\"middle\">epoch</text>\n"
        for (index, values) in series.enumerated() where !values.isEmpty {
            let points = zip(epochs, values).filter { $0.1.isFinite }
                .map { "\(px($0.0)),\(py($0.1))" }.joined(separator: " ")
            let dash = index == 1 ? " stroke-dasharray=\"6 4\"" : ""
            out += "<polyline fill=\"none\" stroke=\"\(colors[index])\" stroke-width=\"2\"\(dash) points=\"\(points)\"/>\n"
        }
        return out + "</g>\n"
    }

    private static func legend(x: Double, y: Double, hasValidation: Bool) -> String {
        var out = "<line x1=\"\(x)\" y1=\"\(y)\" x2=\"\(x + 30)\" y2=\"\(y)\" stroke=\"\(colors[0])\" stroke-width=\"2\"/>"
        out += "<text x=\"\(x + 36)\" y=\"\(y + 4)\">train</text>\n"
        if hasValidation {
            out += "<line x1=\"\(x + 100)\" y1=\"\(y)\" x2=\"\(x + 130)\" y2=\"\(y)\" stroke=\"\(colors[1])\" stroke-width=\"2\" stroke-dasharray=\"6 4\"/>"
            out += "<text x=\"\(x + 136)\" y=\"\(y + 4)\">validation</text>\n"
        }
        return out
    }

    private static func format(_ value: Double) -> String {
        String(format: value >= 10 ? "%.0f" : "%.2f", value)
    }

    private static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }
}
