import Foundation
import Testing

/// The release `textclf classify` reuses its buffers: the heap allocations of a run do not grow
/// with the number of lines. They are counted by a preload library (Tests/Fixtures/
/// allocation_counter.c) in the release binary, as users run it: a debug build of the library
/// keeps boxes that the optimizer removes, so the test process itself would count those.
@Suite("classify allocations")
struct ClassifyAllocationTests {
    /// The counting library, compiled once by the toolchain's C compiler.
    static let counter: Result<String, CompileFailure> = {
        let files = ClassifyCommandTests.workspace
        let library = files.path("allocation_counter.so")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["clang", "-O2", "-shared", "-fPIC", "-o", library,
                             TestPaths.fixtures.appendingPathComponent("allocation_counter.c").path]
        do {
            try process.run()
            process.waitUntilExit()
        } catch {
            return .failure(CompileFailure(reason: "\(error)"))
        }
        return process.terminationStatus == 0 ? .success(library) : .failure(CompileFailure(reason: "clang failed"))
    }()

    struct CompileFailure: Error { let reason: String }

    /// The allocations of `textclf classify -m model arguments` over `lines` lines of words.
    private func allocations(model: String, lines: Int, arguments: [String]) throws -> Int {
        let files = ClassifyCommandTests.workspace
        let words = ["abc", "xyz", "banana", "qqq", "été", "日本語", "red", "blue", "green"]
        var input = ""
        for line in 0..<lines {
            input += (0 ..< line % 9).map { words[($0 * 7 + line) % words.count] }.joined(separator: " ") + "\n"
        }
        let name = UUID().uuidString
        let path = files.write("allocations-\(name).txt", input), countFile = files.path("allocations-\(name).count")
        let process = Process()
        process.executableURL = try TestPaths.cli
        process.arguments = ["classify", "-m", files.path(model)] + arguments + [path]
        process.environment = ["LD_PRELOAD": try Self.counter.get(), "ALLOCATION_COUNT_FILE": countFile]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let count = try String(contentsOfFile: countFile, encoding: .utf8)
        return try #require(Int(count.trimmingCharacters(in: .whitespacesAndNewlines)))
    }

    #if canImport(Glibc)
    @Test(arguments: ["m.safetensors", "multi.safetensors"])
    func classifyAllocatesNothingPerLine(model: String) throws {
        for arguments in [["--threads", "1"], ["--format", "jsonl", "--k", "2"], ["--format", "fasttext", "--all-probabilities"]] {
            let small = try allocations(model: model, lines: 10_000, arguments: arguments)
            let large = try allocations(model: model, lines: 20_000, arguments: arguments)
            // A batch of 512 lines may allocate a few times (the thread budget's task-local
            // value, the second thread's wake-up: about 10 on two threads); one allocation per
            // line would add 10 000.
            let extraBatches = 10_000 / 512 + 1
            #expect(large - small <= 16 * extraBatches,
                    "\(model) \(arguments): \(small) allocations for 10 000 lines, \(large) for 20 000")
        }
    }
    #endif
}
