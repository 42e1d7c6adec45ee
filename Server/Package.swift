// swift-tools-version:6.2
import PackageDescription

// The HTTP server lives in its own package so that a user of the TextClf library, and the
// root package's quickstart build, never fetch or compile the server's dependencies.
let package = Package(
    name: "textclf-server",
    products: [
        .executable(name: "textclf-server", targets: ["textclf-server"]),
    ],
    dependencies: [
        .package(name: "textclf", path: ".."),
        .package(url: "https://github.com/hummingbird-project/hummingbird", exact: "2.28.1",
                 traits: ["FullFoundation"]),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // MARK: - The server, as a library the executable and the tests share

        .target(
            name: "TextClfServer",
            dependencies: [
                .product(name: "TextClf", package: "textclf"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "textclf-server",
            dependencies: [
                "TextClfServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // MARK: - Tests

        .testTarget(name: "TextClfServerTests", dependencies: ["TextClfServer"]),
    ]
)
