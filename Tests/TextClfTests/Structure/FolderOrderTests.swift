import Foundation
import Testing

@Suite("folder order")
struct FolderOrderTests {
    @Test func libraryFoldersUseOnlyEarlierFolders() throws {
        let (files, unknownFolders) = try FolderOrder.read(library: TestPaths.repository.appendingPathComponent("Sources/TextClf"))
        #expect(unknownFolders.isEmpty, "folders outside the order \(FolderOrder.folders): \(unknownFolders)")
        for folder in FolderOrder.folders {
            #expect(files.contains { $0.folder == folder }, "no Swift file in Sources/TextClf/\(folder)")
        }
        let violations = FolderOrder.violations(in: files)
        #expect(violations.isEmpty, "\(violations.count) reference(s) against the order:\n\(violations.map(\.description).joined(separator: "\n"))")
    }

    @Test func checkFindsAReferenceToALaterOrSiblingFolder() {
        let files = [
            FolderOrder.SourceFile(folder: "Text", path: "Text/Token.swift", text: """
                public struct Token {}
                func spell() {
                    // Trainer in a comment and "Trainer" in a string are no use.
                    let text = "\\(Trainer.name)"
                }
                """),
            FolderOrder.SourceFile(folder: "Training", path: "Training/Trainer.swift", text: """
                @usableFromInline
                public struct Trainer { static let name = Token() }
                func mix() { _ = Classifier() }
                """),
            FolderOrder.SourceFile(folder: "Inference", path: "Inference/Classifier.swift", text: """
                final class Classifier { func run() { mix(); _ = Token(); _ = TextClf.mix } }
                """),
        ]
        #expect(FolderOrder.violations(in: files).map(\.description) == [
            "Text/Token.swift:4: Text uses `Trainer`, declared in Training, which Text may not use",
            "Training/Trainer.swift:3: Training uses `Classifier`, declared in Inference, which Training may not use",
            "Inference/Classifier.swift:1: Inference uses `mix`, declared in Training, which Inference may not use",
            "Inference/Classifier.swift:1: Inference uses `mix`, declared in Training, which Inference may not use",
        ])
    }

    @Test func membersAndLocalsAreNotTakenForTopLevelNames() {
        let files = [
            FolderOrder.SourceFile(folder: "Math", path: "Math/Rows.swift", text: """
                func copy(rows: Int) { var store = 0; store += rows; _ = [1].store }
                """),
            FolderOrder.SourceFile(folder: "Layers", path: "Layers/Lanes.swift", text: """
                func store() {}
                """),
        ]
        #expect(FolderOrder.violations(in: files).isEmpty)
    }
}
