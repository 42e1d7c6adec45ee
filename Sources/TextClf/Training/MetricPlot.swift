import Foundation

/// One line of a plot: a named series of values at steps 1, 2, 3, … (usually epochs).
public struct MetricCurve: Sendable {
    /// The legend's name; curves of the same name in several panels share a colour.
    public var name: String
    /// The value at each step; non-finite values leave a gap.
    public var values: [Double]
    /// Drawn dashed rather than solid (e.g. validation beside training).
    public var dashed: Bool

    /// A curve named `name` through `values`.
    public init(name: String, values: [Double], dashed: Bool = false) {
        self.name = name
        self.values = values
        self.dashed = dashed
    }
}

/// One chart of a plot: a title, its curves and the range of its vertical axis.
public struct MetricPanel: Sendable {
    /// Shown above the chart, e.g. `loss` or `accuracy (%)`.
    public var title: String
    /// The lines drawn in this chart.
    public var curves: [MetricCurve]
    /// The vertical axis; nil for 0 … 1.05 × the largest finite value.
    public var yRange: ClosedRange<Double>?

    /// A chart titled `title` with `curves`, its vertical axis `yRange` or fitted to the values.
    public init(title: String, curves: [MetricCurve], yRange: ClosedRange<Double>? = nil) {
        self.title = title
        self.curves = curves
        self.yRange = yRange
    }
}

/// Draws any metric series as a standalone SVG: panels side by side, each with axes, tick
/// labels and its curves, and one legend below for every curve name.
///
///     let svg = MetricPlot.svg(title: "digits", panels: [
///         MetricPanel(title: "loss", curves: [MetricCurve(name: "train", values: losses)]),
///         MetricPanel(title: "accuracy (%)", curves: [MetricCurve(name: "test", values: accuracies)],
///                     yRange: 0...100),
///     ])
public enum MetricPlot {
    /// The SVG document for `panels` (at least one), with steps along the horizontal axes.
    /// - Parameters:
    ///   - title: shown at the top.
    ///   - panels: the charts, left to right.
    ///   - xLabel: names the steps under each horizontal axis.
    public static func svg(title: String, panels: [MetricPanel], xLabel: String = "epoch") -> String {
        precondition(!panels.isEmpty, "a plot needs at least one panel")
        let panelWidth = 370.0, panelStride = 450.0, height = 400.0
        let width = panelStride * Double(panels.count)
        var names: [String] = []
        for curve in panels.flatMap(\.curves) where !names.contains(curve.name) { names.append(curve.name) }
        var svg = """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" \
        viewBox="0 0 \(Int(width)) \(Int(height))" font-family="sans-serif" font-size="12">
        <rect width="100%" height="100%" fill="white"/>
        <text x="\(width / 2)" y="22" text-anchor="middle" font-size="15">\(escape(title))</text>

        """
        for (index, panel) in panels.enumerated() {
            svg += draw(panel, x: 60 + panelStride * Double(index), y: 40, width: panelWidth, height: 300,
                        xLabel: xLabel, names: names)
        }
        svg += legend(panels.flatMap(\.curves), names: names, x: 60, y: 380)
        return svg + "</svg>\n"
    }

    private static let colors = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"]

    private static func color(of name: String, in names: [String]) -> String {
        colors[(names.firstIndex(of: name) ?? 0) % colors.count]
    }

    private static func draw(_ panel: MetricPanel, x: Double, y: Double, width: Double, height: Double,
                             xLabel: String, names: [String]) -> String {
        let largest = panel.curves.flatMap(\.values).filter(\.isFinite).max() ?? 1
        let yRange = panel.yRange ?? 0...max(largest * 1.05, 1e-9)
        let lastStep = Double(max(panel.curves.map(\.values.count).max() ?? 1, 2))
        func px(_ step: Double) -> Double { x + (step - 1) / (lastStep - 1) * width }
        func py(_ value: Double) -> Double {
            let clamped = min(max(value, yRange.lowerBound), yRange.upperBound)
            return y + height - (clamped - yRange.lowerBound) / (yRange.upperBound - yRange.lowerBound) * height
        }
        var out = "<g>\n<text x=\"\(x + width / 2)\" y=\"\(y - 6)\" text-anchor=\"middle\">\(escape(panel.title))</text>\n"
        out += "<line x1=\"\(x)\" y1=\"\(y + height)\" x2=\"\(x + width)\" y2=\"\(y + height)\" stroke=\"black\"/>\n"
        out += "<line x1=\"\(x)\" y1=\"\(y)\" x2=\"\(x)\" y2=\"\(y + height)\" stroke=\"black\"/>\n"
        for tick in 0...4 {
            let value = yRange.lowerBound + Double(tick) / 4 * (yRange.upperBound - yRange.lowerBound)
            out += "<text x=\"\(x - 6)\" y=\"\(py(value) + 4)\" text-anchor=\"end\">\(format(value))</text>\n"
            out += "<line x1=\"\(x)\" y1=\"\(py(value))\" x2=\"\(x + width)\" y2=\"\(py(value))\" stroke=\"#ddd\"/>\n"
        }
        let tickEvery = max(1, Int((lastStep - 1) / 10))
        for step in stride(from: 1, through: Int(lastStep), by: tickEvery) {
            out += "<text x=\"\(px(Double(step)))\" y=\"\(y + height + 16)\" text-anchor=\"middle\">\(step)</text>\n"
        }
        out += "<text x=\"\(x + width / 2)\" y=\"\(y + height + 32)\" text-anchor=\"middle\">\(escape(xLabel))</text>\n"
        for curve in panel.curves where !curve.values.isEmpty {
            let points = curve.values.enumerated().filter { $0.element.isFinite }
                .map { "\(px(Double($0.offset + 1))),\(py($0.element))" }.joined(separator: " ")
            let dash = curve.dashed ? " stroke-dasharray=\"6 4\"" : ""
            out += "<polyline fill=\"none\" stroke=\"\(color(of: curve.name, in: names))\" stroke-width=\"2\"\(dash) points=\"\(points)\"/>\n"
        }
        return out + "</g>\n"
    }

    private static func legend(_ curves: [MetricCurve], names: [String], x: Double, y: Double) -> String {
        var out = "", left = x
        for name in names {
            let dashed = curves.first { $0.name == name }?.dashed == true
            let dash = dashed ? " stroke-dasharray=\"6 4\"" : ""
            out += "<line x1=\"\(left)\" y1=\"\(y)\" x2=\"\(left + 30)\" y2=\"\(y)\" stroke=\"\(color(of: name, in: names))\" stroke-width=\"2\"\(dash)/>"
            out += "<text x=\"\(left + 36)\" y=\"\(y + 4)\">\(escape(name))</text>\n"
            left += 64 + 7 * Double(name.count)
        }
        return out
    }

    private static func format(_ value: Double) -> String {
        String(format: abs(value) >= 10 ? "%.0f" : "%.2f", value)
    }

    private static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }
}
