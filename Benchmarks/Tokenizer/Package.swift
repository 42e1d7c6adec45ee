// swift-tools-version:6.1
import Foundation
import PackageDescription

/// Tokenizer throughput (text → ids), apart from the tests: `bash run.sh` builds and runs it
/// beside a plain C loop over ICU's break iterator.
///
/// A path dependency's package identity is its directory name, which depends on where the
/// repository was cloned, so it is read from this file's location.
let repository = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

let package = Package(
    name: "TokenizerBenchmark",
    dependencies: [.package(path: "../..")],
    targets: [
        .executableTarget(
            name: "TokenizerBenchmark",
            dependencies: [.product(name: "TextClf", package: repository.lastPathComponent)]
        ),
    ]
)
