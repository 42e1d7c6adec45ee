// swift-tools-version:6.1
import PackageDescription

// Timings of textclf's kernels, apart from the test suite. Run in release:
//   cd Benchmarks/Kernels && swift run -c release KernelBenchmarks
let package = Package(
    name: "KernelBenchmarks",
    dependencies: [
        .package(name: "textclf", path: "../.."),
    ],
    targets: [
        .target(name: "FMAPeak"),
        .executableTarget(
            name: "KernelBenchmarks",
            dependencies: ["FMAPeak", .product(name: "TextClf", package: "textclf")]
        ),
    ]
)
