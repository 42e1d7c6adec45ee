import Foundation

/// A `textclf-server` process on an ephemeral loopback port, for one test.
final class ServerProcess: @unchecked Sendable {
    let process = Process()
    /// The port from its `listening on 127.0.0.1:PORT` line.
    private(set) var port = 0
    private let errorOutput = ResultSlots<Data>(count: 1)

    /// Starts the server with `-m model --port 0` and `arguments`, and waits until it listens.
    init(model: URL, _ arguments: [String] = []) throws {
        process.executableURL = ServerPaths.server
        process.arguments = ["-m", model.path, "--port", "0"] + arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        // A plain thread reads stderr to its end (Foundation's readability handlers can crash
        // when their pipe goes away); it holds the buffer, not the server, so that a failed
        // test's deinit still stops the server.
        Thread { [errorOutput] in
            let handle = errors.fileHandleForReading
            while case let data = handle.availableData, !data.isEmpty { errorOutput.append(0, data) }
        }.start()
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            if let match = stderr.firstMatch(of: /listening on 127\.0\.0\.1:(\d+)\n/) {
                port = Int(match.1)!
                return
            }
            if !process.isRunning { break }
            Thread.sleep(forTimeInterval: 0.01)
        }
        process.terminate()
        throw ServerStartError(stderr: stderr)
    }

    /// Everything the server wrote to stderr so far.
    var stderr: String { String(decoding: errorOutput.values[0] ?? Data(), as: UTF8.self) }

    /// Sends `signal` (SIGHUP, SIGTERM, …) to the server.
    func send(_ signal: Int32) {
        kill(process.processIdentifier, signal)
    }

    /// Waits for the server to exit, at most `seconds`, and returns its exit status (nil if it
    /// still runs; it is then killed).
    func waitForExit(seconds: Double = 30) -> Int32? {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        if process.isRunning {
            process.terminate()
            return nil
        }
        return process.terminationStatus
    }

    /// Stops the server if a test left it running.
    deinit {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }
}

struct ServerStartError: Error, CustomStringConvertible {
    let stderr: String
    var description: String { "textclf-server did not start: \(stderr)" }
}

/// Runs the release `textclf classify` with `arguments` on `input` and returns its stdout.
func classifyWithCLI(_ arguments: [String], input: Data) throws -> String {
    let directory = try ServerPaths.scratchDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let file = directory.appendingPathComponent("input.txt")
    try input.write(to: file)
    let process = Process()
    process.executableURL = ServerPaths.cli
    process.arguments = ["classify"] + arguments + [file.path]
    let output = Pipe()
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: data, as: UTF8.self)
}
