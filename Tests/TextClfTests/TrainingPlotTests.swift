import Foundation
import Testing
@testable import TextClf

@Suite("training plot")
struct TrainingPlotTests {
    @Test func plotHasBothPanelsAndLegend() {
        let epochs = (1...5).map { (epoch: Int) -> EpochSummary in
            let e = Double(epoch)
            return EpochSummary(epoch: epoch, trainLoss: 1 / e, trainAccuracy: 0.4 + 0.1 * e,
                                validLoss: 1.2 / e, validAccuracy: 0.35 + 0.1 * e)
        }
        let svg = TrainingPlot.svg(epochs, title: "rnn on <data>")
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        #expect(svg.contains("rnn on &lt;data&gt;"))
        #expect(svg.components(separatedBy: "<polyline").count - 1 == 4)
        #expect(svg.contains(">validation</text>") && svg.contains(">accuracy (%)</text>"))
        #expect(svg.hasSuffix("</svg>\n"))
    }
}
