// swift-tools-version:6.1
import PackageDescription

/// Throughput of the sequence encoders (forward + backward), apart from the tests: run in release.
let package = Package(
    name: "SequenceBenchmark",
    dependencies: [
        .package(name: "textclf", path: "../.."),
    ],
    targets: [
        .executableTarget(
            name: "SequenceBenchmark",
            dependencies: [.product(name: "TextClf", package: "textclf")]
        ),
        .executableTarget(
            name: "GemmShapes",
            dependencies: [.product(name: "TextClf", package: "textclf")]
        ),
    ]
)
