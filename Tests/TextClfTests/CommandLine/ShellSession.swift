import Foundation

/// A scratch directory that looks like the repository root to shell commands: `corpora` and
/// `vocab` link to the shipped files, `textclf` on the PATH is the release build, and whatever
/// a command writes stays in the scratch directory. Commands run one after another, so later
/// ones see the files earlier ones wrote, as they would for a user following the docs.
final class ShellSession {
    let files = ScratchDirectory()

    init() throws {
        let manager = FileManager.default
        for shipped in ["corpora", "vocab"] {
            try manager.createSymbolicLink(atPath: files.path(shipped),
                                           withDestinationPath: TestPaths.repository.appendingPathComponent(shipped).path)
        }
        try manager.createDirectory(atPath: files.path(".bin"), withIntermediateDirectories: true)
        try manager.createSymbolicLink(atPath: files.path(".bin/textclf"), withDestinationPath: try TestPaths.cli.path)
    }

    /// The outcome of one command line.
    struct Outcome {
        let status: Int32
        let stdout: String
        /// Standard error, or empty when it was merged into `stdout`.
        let stderr: String
    }

    /// Runs `command` with bash (`pipefail` on, so a failing `textclf` before `| head` fails),
    /// standard input empty; with `mergingStandardError` both streams go to `stdout` in the
    /// order they were written, as a terminal shows them.
    func run(_ command: String, mergingStandardError: Bool = false) throws -> Outcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-o", "pipefail", "-c", command]
        process.currentDirectoryURL = files.url
        process.environment = ["PATH": files.path(".bin") + ":/usr/local/bin:/usr/bin:/bin", "HOME": files.url.path,
                               "COLUMNS": "120", "LC_ALL": "C.UTF-8"]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = mergingStandardError ? out : err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        if mergingStandardError { try err.fileHandleForWriting.close() }
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                       stderr: String(decoding: stderr, as: UTF8.self))
    }
}
