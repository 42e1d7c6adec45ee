/// Draws training curves as a standalone SVG: loss by epoch on the left, accuracy by epoch on
/// the right, train solid and validation dashed, with axes, tick labels and a legend
/// (a `MetricPlot` of the epochs' summaries).
public enum TrainingPlot {
    /// The SVG document for `epochs` (at least one).
    public static func svg(_ epochs: [EpochSummary], title: String) -> String {
        var losses = [MetricCurve(name: "train", values: epochs.map(\.trainLoss))]
        var accuracies = [MetricCurve(name: "train", values: epochs.map { $0.trainAccuracy * 100 })]
        let validLosses = epochs.compactMap(\.validLoss)
        if !validLosses.isEmpty {
            losses.append(MetricCurve(name: "validation", values: validLosses, dashed: true))
            accuracies.append(MetricCurve(name: "validation", values: epochs.compactMap { $0.validAccuracy.map { $0 * 100 } },
                                          dashed: true))
        }
        return MetricPlot.svg(title: title, panels: [
            MetricPanel(title: "loss", curves: losses),
            MetricPanel(title: "accuracy (%)", curves: accuracies, yRange: 0...100),
        ])
    }
}
