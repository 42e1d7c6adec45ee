// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "textclf",
    products: [
        .library(name: "TextClf", targets: ["TextClf"]),
        .executable(name: "textclf", targets: ["textclf"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // MARK: - C shims (implementation details; only TextClf imports them)

        /// ICU through a C file; the public header has stdint types and opaque handles only,
        /// because ICU's versioned function names cannot be imported into Swift and its headers
        /// clash with Foundation's copy of ICU.
        .target(
            name: "CICU",
            linkerSettings: [.linkedLibrary("icuuc"), .linkedLibrary("icudata")]
        ),
        /// The few innermost numeric kernels, compiled per function for AVX2+FMA with a runtime
        /// CPU check, so the package needs no unsafe flags and still runs on baseline x86-64.
        .target(
            name: "CKernels",
            linkerSettings: [.linkedLibrary("m")]
        ),

        // MARK: - Public API

        .target(name: "TextClf", dependencies: ["CICU", "CKernels"]),
        .executableTarget(
            name: "textclf",
            dependencies: [
                "TextClf",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // MARK: - Tests

        .testTarget(
            name: "TextClfTests",
            dependencies: ["TextClf"]
        ),
    ]
)
