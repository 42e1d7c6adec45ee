import Foundation
import Testing

/// The outcome of running the release `textclf` binary.
struct CommandLineRun {
    let status: Int32
    let stdout: String
    let stderr: String

    /// Runs `.build/release/textclf` with `arguments` in `directory` (the repository by default),
    /// with an 80-column help width so help text compares exactly.
    init(_ arguments: [String], in directory: URL = TestPaths.repository) throws {
        let process = Process()
        process.executableURL = try TestPaths.cli
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.environment = ["COLUMNS": "80", "PATH": "/usr/bin:/bin"]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Read both pipes before waiting, so a full pipe cannot block the child.
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        status = process.terminationStatus
        stdout = String(decoding: outData, as: UTF8.self)
        stderr = String(decoding: errData, as: UTF8.self)
    }

    /// Expects a runtime failure: exit 1 and exactly one `textclf: error:` line on stderr that
    /// starts with `prefix` after the tag and contains `fragment`, nothing on stdout.
    func expectOneLineError(startingWith prefix: String, containing fragment: String = "",
                            sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(status == 1, "exit status; stderr: \(stderr)", sourceLocation: sourceLocation)
        let lines = stderr.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 2 && lines[1].isEmpty, "one line: \(stderr)", sourceLocation: sourceLocation)
        #expect(stderr.hasPrefix("textclf: error: " + prefix), "\(stderr)", sourceLocation: sourceLocation)
        #expect(fragment.isEmpty || stderr.contains(fragment), "\(stderr)", sourceLocation: sourceLocation)
        #expect(stdout.isEmpty, sourceLocation: sourceLocation)
    }
}
