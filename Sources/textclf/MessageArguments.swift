import ArgumentParser

/// Options about messages, shared by every command.
struct MessageArguments: ParsableArguments {
    @Flag(name: .shortAndLong, help: "Print no summary or progress; warnings and errors still go to standard error.")
    var quiet = false
}
