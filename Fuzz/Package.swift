// swift-tools-version:6.1
import Foundation
import PackageDescription

// libFuzzer targets for textclf's parsers, kept apart from the root package so that its build
// and `swift test` never see them. Build and run with `Fuzz/run.sh SECONDS`, which uses
// `swift build --sanitize fuzzer --sanitize address`.

/// SwiftPM names a path dependency after its directory, which differs between checkouts.
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
let rootIdentity = root.lastPathComponent.lowercased()

func fuzzTarget(_ name: String) -> Target {
    .executableTarget(name: name, dependencies: ["FuzzSupport", .product(name: "TextClf", package: rootIdentity)])
}

let package = Package(
    name: "textclf-fuzz",
    dependencies: [.package(path: "..")],
    targets: [
        .target(name: "FuzzSupport"),
        fuzzTarget("FuzzCorpusReader"),
        fuzzTarget("FuzzVocabulary"),
        fuzzTarget("FuzzModelFile"),
        fuzzTarget("FuzzTokenizer"),
    ]
)
