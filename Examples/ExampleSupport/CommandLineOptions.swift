// What every example does with its command line: read an option's value, and end with one
// line and a status when something fails.
import Foundation

/// The value after `name` on the command line, or `fallback` without it; exit 2 when unusable.
public func option<Value: LosslessStringConvertible>(_ name: String, _ fallback: Value) -> Value {
    let arguments = CommandLine.arguments
    guard let index = arguments.firstIndex(of: name) else { return fallback }
    guard index + 1 < arguments.count, let value = Value(arguments[index + 1]) else {
        FileHandle.standardError.write(Data("\(name) expects a value of type \(Value.self)\n".utf8))
        exit(2)
    }
    return value
}

/// The result of `body`; an error ends the program with `what` and the error, exit status 1.
public func orExit<Result>(_ what: String, _ body: () throws -> Result) -> Result {
    do { return try body() } catch {
        FileHandle.standardError.write(Data("error: \(what): \(error.localizedDescription)\n".utf8))
        exit(1)
    }
}
