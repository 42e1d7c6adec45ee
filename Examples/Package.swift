// swift-tools-version:6.1
import Foundation
import PackageDescription

// The tutorials' experiments, each one small executable on TextClf's public API. This package
// depends on the repository by path, as an outside user's package would, so nothing internal
// is reachable. A path dependency's identity is its folder's name, whatever the clone is called.
let root = URL(fileURLWithPath: Context.packageDirectory).deletingLastPathComponent().lastPathComponent

let examples = ["polynomial-fit", "vector-rule", "digits", "rnn-by-hand", "contains-char"]

let package = Package(
    name: "Examples",
    products: examples.map { .executable(name: $0, targets: [$0]) },
    dependencies: [.package(path: "..")],
    targets: examples.map {
        .executableTarget(name: $0, dependencies: ["ExampleSupport", .product(name: "TextClf", package: root)], path: $0)
    } + [
        // The command-line handling the examples share, so each example is its experiment only.
        .target(name: "ExampleSupport", path: "ExampleSupport"),
    ]
)
